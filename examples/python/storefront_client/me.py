from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import ClientType


class Me(BaseModel):
    viewer: "MeViewer"


class MeViewer(BaseModel):
    client_type: ClientType = Field(alias="clientType")
    account: Optional["MeViewerAccount"]


class MeViewerAccount(BaseModel):
    name: str
    addresses: list["MeViewerAccountAddresses"]


class MeViewerAccountAddresses(BaseModel):
    id: str
    external_id: Optional[str] = Field(alias="externalId")
    is_shipping: bool = Field(alias="isShipping")
    is_billing: bool = Field(alias="isBilling")


Me.model_rebuild()
MeViewer.model_rebuild()
MeViewerAccount.model_rebuild()
