from .base_model import BaseModel


class MyCart(BaseModel):
    cart: "MyCartCart"


class MyCartCart(BaseModel):
    id: str
    version: int


MyCart.model_rebuild()
