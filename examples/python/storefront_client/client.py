from typing import Any, Optional, Union

from .add_lines import AddLines
from .async_base_client import AsyncBaseClient
from .base_model import UNSET, UnsetType
from .catalog import Catalog
from .checkout_cart import CheckoutCart
from .create_draft import CreateDraft
from .draft_from_quote import DraftFromQuote
from .input_types import CheckoutCartInput, DraftOrderLineInput
from .me import Me
from .my_cart import MyCart
from .my_orders import MyOrders
from .my_quotes import MyQuotes
from .order_payment import OrderPayment
from .place import Place
from .set_addresses import SetAddresses
from .sign_in import SignIn


def gql(q: str) -> str:
    return q


class StorefrontClient(AsyncBaseClient):
    async def sign_in(self, email: str, password: str, **kwargs: Any) -> SignIn:
        query = gql("""
            mutation SignIn($email: String!, $password: String!) {
              createToken(email: $email, password: $password) {
                token
                expiresAt
                errors {
                  code
                  message
                }
              }
            }
            """)
        variables: dict[str, object] = {"email": email, "password": password}
        response = await self.execute(
            query=query, operation_name="SignIn", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SignIn.model_validate(data)

    async def me(self, **kwargs: Any) -> Me:
        query = gql("""
            query Me {
              viewer {
                clientType
                account {
                  name
                  addresses {
                    id
                    externalId
                    isShipping
                    isBilling
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Me", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Me.model_validate(data)

    async def catalog(
        self, first: Union[Optional[int], UnsetType] = UNSET, **kwargs: Any
    ) -> Catalog:
        query = gql("""
            query Catalog($first: Int) {
              products(first: $first) {
                totalCount
                edges {
                  node {
                    name
                    variants {
                      sku
                      offers {
                        id
                        available
                        minQuantity
                        packSize
                        price {
                          amount
                          currency
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"first": first}
        response = await self.execute(
            query=query, operation_name="Catalog", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Catalog.model_validate(data)

    async def create_draft(self, **kwargs: Any) -> CreateDraft:
        query = gql("""
            mutation CreateDraft {
              createDraftOrder {
                draftOrder {
                  id
                  version
                  status
                  issues {
                    code
                    message
                    blocking
                    lineId
                  }
                  total {
                    amount
                    currency
                  }
                }
                errors {
                  code
                  message
                  field
                  index
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="CreateDraft", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateDraft.model_validate(data)

    async def add_lines(
        self,
        id: str,
        lines: list[DraftOrderLineInput],
        version: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> AddLines:
        query = gql("""
            mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!, $version: Int) {
              addDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {
                draftOrder {
                  id
                  version
                  lines {
                    id
                    sku
                    quantity
                    unitPrice {
                      amount
                    }
                  }
                  issues {
                    code
                    message
                    blocking
                  }
                  total {
                    amount
                    currency
                  }
                }
                errors {
                  code
                  message
                  field
                  index
                }
                warnings {
                  code
                  message
                }
              }
            }
            """)
        variables: dict[str, object] = {"id": id, "lines": lines, "version": version}
        response = await self.execute(
            query=query, operation_name="AddLines", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return AddLines.model_validate(data)

    async def set_addresses(
        self,
        id: str,
        shipping: str,
        billing: str,
        version: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> SetAddresses:
        query = gql("""
            mutation SetAddresses($id: ID!, $shipping: ID!, $billing: ID!, $version: Int) {
              updateDraftOrder(
                id: $id
                input: {shippingAddressId: $shipping, billingAddressId: $billing}
                expectedVersion: $version
              ) {
                draftOrder {
                  id
                  version
                  issues {
                    code
                    message
                    blocking
                  }
                  shippingAddress {
                    externalId
                  }
                  billingAddress {
                    externalId
                  }
                }
                errors {
                  code
                  message
                  field
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "id": id,
            "shipping": shipping,
            "billing": billing,
            "version": version,
        }
        response = await self.execute(
            query=query, operation_name="SetAddresses", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SetAddresses.model_validate(data)

    async def place(
        self, id: str, key: Union[Optional[str], UnsetType] = UNSET, **kwargs: Any
    ) -> Place:
        query = gql("""
            mutation Place($id: ID!, $key: String) {
              placeDraftOrder(id: $id, input: {idempotencyKey: $key}) {
                order {
                  __typename
                  id
                  reference
                  status
                  placedAt
                  total {
                    amount
                    currency
                  }
                  logisticOrders {
                    reference
                    status
                    supplier {
                      name
                    }
                  }
                }
                nextStep
                errors {
                  code
                  message
                }
              }
            }
            """)
        variables: dict[str, object] = {"id": id, "key": key}
        response = await self.execute(
            query=query, operation_name="Place", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Place.model_validate(data)

    async def my_orders(self, **kwargs: Any) -> MyOrders:
        query = gql("""
            query MyOrders {
              orders(first: 20) {
                totalCount
                edges {
                  node {
                    __typename
                    id
                    reference
                    status
                    placedAt
                    total {
                      amount
                      currency
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="MyOrders", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return MyOrders.model_validate(data)

    async def my_quotes(self, **kwargs: Any) -> MyQuotes:
        query = gql("""
            query MyQuotes {
              quotes(first: 20) {
                edges {
                  node {
                    id
                    externalId
                    status
                    expiresAt
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="MyQuotes", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return MyQuotes.model_validate(data)

    async def draft_from_quote(self, quote_id: str, **kwargs: Any) -> DraftFromQuote:
        query = gql("""
            mutation DraftFromQuote($quoteId: ID!) {
              createDraftOrderFromQuote(quoteId: $quoteId) {
                draftOrder {
                  id
                  status
                  source {
                    type
                    id
                  }
                  lines {
                    sku
                    quantity
                    unitPrice {
                      amount
                    }
                  }
                  total {
                    amount
                    currency
                  }
                }
                errors {
                  code
                  message
                }
                warnings {
                  code
                  message
                }
              }
            }
            """)
        variables: dict[str, object] = {"quoteId": quote_id}
        response = await self.execute(
            query=query, operation_name="DraftFromQuote", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DraftFromQuote.model_validate(data)

    async def my_cart(self, **kwargs: Any) -> MyCart:
        query = gql("""
            query MyCart {
              cart {
                id
                version
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="MyCart", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return MyCart.model_validate(data)

    async def checkout_cart(
        self, input: CheckoutCartInput, **kwargs: Any
    ) -> CheckoutCart:
        query = gql("""
            mutation CheckoutCart($input: CheckoutCartInput!) {
              checkoutCart(input: $input) {
                result {
                  __typename
                  ... on RedirectPayment {
                    nextStep
                    orderKey
                    order {
                      __typename
                      id
                      status
                      paymentStatus
                    }
                  }
                  ... on DirectPayment {
                    orderKey
                  }
                }
                errors {
                  code
                  message
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="CheckoutCart", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CheckoutCart.model_validate(data)

    async def order_payment(self, id: str, **kwargs: Any) -> OrderPayment:
        query = gql("""
            query OrderPayment($id: ID!) {
              order(id: $id) {
                status
                paymentStatus
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="OrderPayment", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return OrderPayment.model_validate(data)
