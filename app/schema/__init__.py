"""The assembled GraphQL schema. `schema` is what `schema.graphql` is exported from."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry
from strawberry.schema.config import StrawberryConfig

from app.schema.docs import document, served_types
from app.schema.execution import execution_context_class
from app.schema.limits import extensions
from app.schema.observe import GatewaySchema
from app.schema.root import Mutation, Query
from app.schema.scalars import SCALAR_OVERRIDES
from app.settings import Settings, get_settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


def build_schema(settings: Settings, tracer_provider: TracerProvider | None = None) -> strawberry.Schema:
    built = GatewaySchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions(settings, tracer_provider),
        scalar_overrides=SCALAR_OVERRIDES,
        config=StrawberryConfig(disable_field_suggestions=settings.env == "production"),
        execution_context_class=execution_context_class(settings.fast_execution),
    )
    document(served_types(built))  # every element described (app/schema/docs.py)
    return built


schema = build_schema(get_settings())
