"""Personal-data encryption for recipients: the machinery lives in `swstation.core.crypto`.

It moved down into core so that core's own stores (the contents of uploaded import files) can
be encrypted with the same keys without core importing an app. This module re-exports the
public functions, so `from swstation.recipients.crypto import encrypt` keeps working.
"""

from swstation.core.crypto import decrypt, encrypt, lookup_hash

__all__ = ["decrypt", "encrypt", "lookup_hash"]
