"""What the tests share besides fixtures: the in-process gateway client, GraphQL documents, served gateways
and processes, and small builders. Fixtures live in tests/conftest.py only; test modules import helpers from
here and never from each other (tests/test_suite_shape.py checks both)."""
