from decimal import Decimal

from pydantic import Field

from .base_model import BaseModel


class Catalog(BaseModel):
    products: "CatalogProducts"


class CatalogProducts(BaseModel):
    total_count: int = Field(alias="totalCount")
    edges: list["CatalogProductsEdges"]


class CatalogProductsEdges(BaseModel):
    node: "CatalogProductsEdgesNode"


class CatalogProductsEdgesNode(BaseModel):
    name: str
    variants: list["CatalogProductsEdgesNodeVariants"]


class CatalogProductsEdgesNodeVariants(BaseModel):
    sku: str
    offers: list["CatalogProductsEdgesNodeVariantsOffers"]


class CatalogProductsEdgesNodeVariantsOffers(BaseModel):
    id: str
    available: bool
    min_quantity: int = Field(alias="minQuantity")
    pack_size: int = Field(alias="packSize")
    price: "CatalogProductsEdgesNodeVariantsOffersPrice"


class CatalogProductsEdgesNodeVariantsOffersPrice(BaseModel):
    amount: Decimal
    currency: str


Catalog.model_rebuild()
CatalogProducts.model_rebuild()
CatalogProductsEdges.model_rebuild()
CatalogProductsEdgesNode.model_rebuild()
CatalogProductsEdgesNodeVariants.model_rebuild()
CatalogProductsEdgesNodeVariantsOffers.model_rebuild()
