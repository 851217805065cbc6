"""SQLAlchemy models, one module per aggregate. No relationships: loaders batch every association."""

from app.models.accounts import (
    Account,
    AccountGroup,
    AccountStore,
    Address,
    AuthToken,
    Membership,
    User,
    UserStore,
)
from app.models.base import Base, new_id, utcnow
from app.models.catalog import (
    CatalogView,
    CatalogViewAccount,
    CatalogViewProduct,
    Offer,
    OfferPrice,
    PriceTier,
    Product,
    Supplier,
    Variant,
)
from app.models.fulfilment import Return, ReturnLine, Shipment, ShipmentLine
from app.models.orders import (
    IdempotencyRecord,
    LogisticOrder,
    Order,
    OrderEvent,
    OrderLine,
    OrderMetadata,
)
from app.models.payments import (
    Payment,
    PaymentEvent,
    PaymentMethod,
    PaymentMethodExclusion,
    ShippingMethod,
    ShippingMethodExclusion,
)
from app.models.promotions import Promotion, PromotionProduct, PromotionUsage, Voucher, VoucherRedemption
from app.models.sources import Operation, OperationAccount, OperationLine, Quote, QuoteLine
from app.models.tenancy import ApiKey, Store, StoreView, Tenant
from app.models.throttle import LoginThrottle
from app.models.webhooks import OutboxEvent, WebhookDelivery, WebhookSubscription

__all__ = [
    "Account",
    "AccountGroup",
    "AccountStore",
    "Address",
    "ApiKey",
    "AuthToken",
    "Base",
    "CatalogView",
    "CatalogViewAccount",
    "CatalogViewProduct",
    "IdempotencyRecord",
    "LoginThrottle",
    "LogisticOrder",
    "Membership",
    "Offer",
    "OfferPrice",
    "Operation",
    "OperationAccount",
    "OperationLine",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderMetadata",
    "OutboxEvent",
    "Payment",
    "PaymentEvent",
    "PaymentMethod",
    "PaymentMethodExclusion",
    "PriceTier",
    "Promotion",
    "PromotionProduct",
    "PromotionUsage",
    "Product",
    "Quote",
    "QuoteLine",
    "Return",
    "ReturnLine",
    "Shipment",
    "ShipmentLine",
    "ShippingMethod",
    "ShippingMethodExclusion",
    "Store",
    "StoreView",
    "Supplier",
    "Tenant",
    "User",
    "UserStore",
    "Variant",
    "Voucher",
    "VoucherRedemption",
    "WebhookDelivery",
    "WebhookSubscription",
    "new_id",
    "utcnow",
]
