"""The launcher: sign in once, then open the business systems the user's roles allow."""
