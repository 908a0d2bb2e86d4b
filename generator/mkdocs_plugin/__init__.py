"""The MkDocs adapter: the `hankekirjasto` MkDocs plugin and the speed code that only applies
when MkDocs builds the site. It wires MkDocs' events to the core (the modules of ``generator``,
none of which imports MkDocs) through MkDocs' public plugin API."""
