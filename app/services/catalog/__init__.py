"""What a caller may see and at which price: visibility, price resolution, offers, product listing."""
