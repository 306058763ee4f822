"""Reading job moves out of news text. See base.py for the interface an extractor implements."""
