"""Reading what the bureau prints as a phone's camera would: QR codes in images and on
PDF pages (rendered to pixels by pypdfium2, decoded by zxing-cpp)."""


def qr_texts(image) -> list[str]:
    """The text of every QR code in a PIL image."""
    import zxingcpp

    return [code.text for code in zxingcpp.read_barcodes(image)]


def qr_matches(image, data: str) -> bool:
    """True when ``image`` holds exactly one QR code and it says ``data``."""
    return qr_texts(image) == [data]


def pdf_qr_texts(pdf: bytes, page: int = 0) -> list[str]:
    """The QR codes on one page of a PDF, rendered at four times its size."""
    import pypdfium2

    return qr_texts(pypdfium2.PdfDocument(pdf)[page].render(scale=4).to_pil())
