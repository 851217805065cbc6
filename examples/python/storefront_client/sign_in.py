from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import ErrorCode


class SignIn(BaseModel):
    create_token: "SignInCreateToken" = Field(alias="createToken")


class SignInCreateToken(BaseModel):
    token: Optional[str]
    expires_at: Optional[datetime] = Field(alias="expiresAt")
    errors: list["SignInCreateTokenErrors"]


class SignInCreateTokenErrors(BaseModel):
    code: ErrorCode
    message: str


SignIn.model_rebuild()
SignInCreateToken.model_rebuild()
