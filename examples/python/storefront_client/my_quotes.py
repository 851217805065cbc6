from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import QuoteStatus


class MyQuotes(BaseModel):
    quotes: "MyQuotesQuotes"


class MyQuotesQuotes(BaseModel):
    edges: list["MyQuotesQuotesEdges"]


class MyQuotesQuotesEdges(BaseModel):
    node: "MyQuotesQuotesEdgesNode"


class MyQuotesQuotesEdgesNode(BaseModel):
    id: str
    external_id: Optional[str] = Field(alias="externalId")
    status: QuoteStatus
    expires_at: Optional[datetime] = Field(alias="expiresAt")


MyQuotes.model_rebuild()
MyQuotesQuotes.model_rebuild()
MyQuotesQuotesEdges.model_rebuild()
