"""English for the platform connectors' strings added by the `platforms` helper (issue 11: every reply,
robust webhooks, token lifecycle; issue 13: private messages)."""

EN = {
    "Delvis behandlad": "Partly processed",
    "Webhook": "Webhook",
    "Hämtning": "Polling",
    "källa": "source",
    "leverans": "delivery",
    "plats i leveransen": "place in the delivery",
    "orsak": "reason",
    "försök": "attempts",
    "misslyckades": "failed",
    "behandlad vid omkörning": "processed on replay",
    "misslyckad ändring": "failed change",
    "misslyckade ändringar": "failed changes",
    "inlägg": "item",
    "gick ut": "expired",
    "utfall": "outcome",
    "förnyelsetoken (krypterad)": "refresh token (encrypted)",
    "klienthemlighet (krypterad)": "client secret (encrypted)",
    "OAuth-klient-id": "OAuth client id",
    "Klient-id för OAuth-appen (YouTube/Google, LinkedIn); inte hemligt.":
        "Client id of the OAuth app (YouTube/Google, LinkedIn); not secret.",
    "åtkomsttoken går ut": "access token expires",
    "förnyelsetoken går ut": "refresh token expires",
    "Förnyelsetoken (OAuth)": "Refresh token (OAuth)",
    "YouTube och LinkedIn: används för att förnya åtkomsttoken automatiskt innan den går ut.":
        "YouTube and LinkedIn: used to refresh the access token automatically before it expires.",
    "Klienthemlighet (OAuth)": "Client secret (OAuth)",
    "OAuth-appens hemlighet hos Google respektive LinkedIn.": "The OAuth app's secret at Google or LinkedIn.",
    "Klient-id (OAuth)": "Client id (OAuth)",
    "OAuth-appens klient-id (inte hemligt). Lämna tomt för att behålla det sparade.":
        "The OAuth app's client id (not secret). Leave empty to keep the stored one.",
    "Förnyelsetoken": "Refresh token",
    "Klienthemlighet": "Client secret",
    "Med förnyelsetoken, klienthemlighet och klient-id förnyar Uppsikt åtkomsttoken själv innan den går ut.":
        "With a refresh token, client secret and client id Uppsikt refreshes the access token itself before it "
        "expires.",
    "Automatisk förnyelse av token": "Automatic token refresh",
    "På": "On",
    "Av (förnyelsetoken, klienthemlighet eller klient-id saknas)":
        "Off (refresh token, client secret or client id missing)",
    "Åtkomsttoken går ut": "Access token expires",
    "okänt": "unknown",
    "Förnyelsetoken går ut": "Refresh token expires",
}
