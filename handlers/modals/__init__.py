"""Modal submissions: validated inside the ack, so errors show inline in the modal."""
