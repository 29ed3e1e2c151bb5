"""Entry points for other frameworks' code: LangChain runnables over the assistant's services."""
