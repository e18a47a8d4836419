class SwedishFirstMiddleware:
    """Swedish unless the user chose another language with the switch (the language cookie).

    Browsers announce their own language (often English); a Swedish municipality's staff and public
    expect Swedish first, so the Accept-Language header is not used for the choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
