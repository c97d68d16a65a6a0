"""The public petition portal (信访网上服务): a separate ASGI application, server-rendered, no JavaScript needed."""
