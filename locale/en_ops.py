"""English for sign-in (OpenID Connect, two-factor) and operations (accounts/signin, config/operations)."""

EN = {
    # login page and OpenID Connect
    "Logga in med kommunens inloggning": "Sign in with the municipality's login",
    "eller med användarnamn och lösenord": "or with username and password",
    "Reservinloggning för systemadministratör": "Emergency sign-in for system administrators",
    "Du har ingen roll i Uppsikt. Be systemförvaltaren lägga till dig i rätt grupp.":
        "You have no role in Uppsikt. Ask the system administrator to add you to the right group.",
    "Det finns redan ett konto med ditt användarnamn. Kontakta systemförvaltaren.":
        "An account with your username already exists. Contact the system administrator.",
    "Inloggningen via kommunens inloggning misslyckades. Försök igen.":
        "Signing in through the municipality's login failed. Please try again.",
    "Kommunens inloggning svarar inte just nu. Försök igen om en stund.":
        "The municipality's login is not answering right now. Please try again in a while.",
    "id hos identitetsleverantören": "identity provider id",
    "Enheter ändrade": "Units changed",
    # two-factor
    "Tvåstegsverifiering": "Two-factor authentication",
    "Ange engångskod": "Enter one-time code",
    "Engångskod": "One-time code",
    "Sexsiffrig kod från appen för tvåstegsverifiering (t.ex. Microsoft Authenticator eller FreeOTP).":
        "Six-digit code from the two-factor app (e.g. Microsoft Authenticator or FreeOTP).",
    "Ange koden.": "Enter the code.",
    "Koden har sex siffror.": "The code has six digits.",
    "Koden består bara av siffror 0–9.": "The code consists of the digits 0–9 only.",
    "Öppna appen för tvåstegsverifiering i telefonen och skriv in koden som visas för Uppsikt.":
        "Open the two-factor app on your phone and enter the code shown for Uppsikt.",
    "Börja om": "Start again",
    "Logga in med ditt lösenord igen.": "Sign in with your password again.",
    "Fel kod, eller för många försök: vänta en stund och försök igen.":
        "Wrong code, or too many attempts: wait a moment and try again.",
    "Fel kod. Kontrollera klockan i telefonen och försök igen.":
        "Wrong code. Check the clock on your phone and try again.",
    "Fel kod. Försök igen.": "Wrong code. Please try again.",
    "Fel kod. Kontrollera att du skannade koden och att telefonens klocka går rätt.":
        "Wrong code. Check that you scanned the code and that your phone's clock is right.",
    "Kommunen kräver tvåstegsverifiering för inloggning med lösenord.":
        "The municipality requires two-factor authentication for password sign-in.",
    "Med tvåstegsverifiering behövs både ditt lösenord och en kod från en app i telefonen för att logga in.":
        "With two-factor authentication, signing in needs both your password and a code from an app on your phone.",
    "Installera en app för engångskoder (TOTP), t.ex. Microsoft Authenticator, Google Authenticator eller FreeOTP.":
        "Install an app for one-time codes (TOTP), e.g. Microsoft Authenticator, Google Authenticator or FreeOTP.",
    "Skanna QR-koden med appen, eller skriv in nyckeln nedanför den.":
        "Scan the QR code with the app, or type in the key below it.",
    "Skriv in den sexsiffriga kod som appen visar.": "Enter the six-digit code the app shows.",
    "QR-kod för appen för tvåstegsverifiering": "QR code for the two-factor app",
    "Nyckel att skriva in:": "Key to type in:",
    "Slå på tvåstegsverifiering": "Turn on two-factor authentication",
    "Tvåstegsverifiering är påslagen för ditt konto.": "Two-factor authentication is on for your account.",
    "Ange koden från appen för att fortsätta.": "Enter the code from the app to continue.",
    "Fortsätt": "Continue",
    "Stäng av": "Turn off",
    "Stäng av tvåstegsverifiering": "Turn off two-factor authentication",
    "Tvåstegsverifieringen är avstängd.": "Two-factor authentication is off.",
    "Koden stämde.": "The code was right.",
    "Tvåstegsverifieringen är påslagen. Nästa gång du loggar in frågar Uppsikt efter en kod från appen.":
        "Two-factor authentication is on. Next time you sign in, Uppsikt asks for a code from the app.",
    "Kommunen kräver tvåstegsverifiering. Slå på den innan du fortsätter.":
        "The municipality requires two-factor authentication. Turn it on before you continue.",
    "Tvåstegsverifiering krävs: logga in med kod först.": "Two-factor authentication required: sign in with a code first.",
    "Återställ tvåstegsverifiering (användaren registrerar appen på nytt)":
        "Reset two-factor authentication (the user registers the app again)",
    "Tvåstegsverifieringen återställdes för %(n)d användare.":
        ("Two-factor authentication was reset for %(n)d user.", "Two-factor authentication was reset for %(n)d users."),
}
