"""Mail printed to the terminal in development, as a person reads it."""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    """Django's console backend prints the encoded message: quoted-printable text, whose soft
    line breaks cut a long link into pieces ending in `=`, and Chinese as `=E4=BD=A0`. This
    prints the headers a person reads and the text as written, so a copied link works."""

    def write_message(self, message):
        headers = {
            "From": message.from_email,
            "To": ", ".join(message.to),
            "Cc": ", ".join(message.cc),
            "Reply-To": ", ".join(message.reply_to),
            "Subject": message.subject,
        }
        for name, value in headers.items():
            if value:
                self.stream.write(f"{name}: {value}\n")
        self.stream.write(f"\n{message.body}\n")
        for attachment in message.attachments:
            name = getattr(attachment, "filename", None) or "(unnamed)"
            self.stream.write(f"[attachment: {name}]\n")
        self.stream.write("-" * 79 + "\n")
