def customer_file(customer_id: str) -> dict:
    """Loads a customer record (identity, contact, order history)."""
    return {"id": customer_id}
