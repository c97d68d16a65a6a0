"""The sync engine's commands (``renda sync …``) and its benchmark (``renda bench sync``): the app side of
``core/sync``, used on laptops and on the server alike, and knowing no feature."""
