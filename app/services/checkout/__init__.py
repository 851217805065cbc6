"""Cart compatibility: the cart (the buyer's current draft), payment and shipping methods, checkoutCart."""
