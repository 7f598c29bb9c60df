"""Masking of personal data for viewers without a right to see it in full, and the
patterns that find it in free text."""

import re
import unicodedata

# Digits typed with spaces or hyphens between them ("139 1234 5678") are one number.
_DIGIT_SEPARATORS = re.compile(r"(?<=\d)[\s\-]+(?=\d)")
# An 11-digit mainland mobile number, with or without the country code.
MOBILE_NUMBER = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")
# An 18-character identity number (GB 11643-1999): 17 digits and a digit or X. Its check
# character is not verified: a mistyped number still identifies its holder.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


def comparable(text: str) -> str:
    """Full-width digits as ASCII (NFKC), separators between digits removed."""
    return _DIGIT_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def mask_phone(phone: str) -> str:
    """138****5678: keep the first three and last four digits of a mobile number."""
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) < 8:
        return digits[:1] + "*" * (len(digits) - 3) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """张*明 / 王* : keep the surname and, for long names, the last character."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """110***********1234: keep the region prefix and the last four characters."""
    number = number.strip()
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
