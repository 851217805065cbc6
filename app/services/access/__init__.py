"""Who is calling: headers to a Caller, tokens, the viewer."""
