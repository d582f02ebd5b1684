from servicepact.webhooks.models.delivery import Delivery, DeliveryStatus
from servicepact.webhooks.models.endpoint import Endpoint, WebhookEvent

__all__ = ["Delivery", "DeliveryStatus", "Endpoint", "WebhookEvent"]
