"""plain_csv: which logs can be cut at any line end (no quotes, NULs or lone CRs, and UTF-8),
block by block: characters split between blocks, ASCII blocks that skip decoding."""

from casecheck.inputs.csvpieces import plain_csv

BLOCK = 1 << 22  # plain_csv reads 4 MB at a time


def _log(tmp_path, body: bytes):
    path = tmp_path / "log.csv"
    path.write_bytes(b"case,date,type\n" + body)
    return str(path)


def test_a_character_split_between_blocks_is_still_utf8(tmp_path):
    head = b"case,date,type\n"
    filler = b"C1,2024-01-01,x\n" * ((BLOCK - len(head)) // 16)
    pad = b"a" * (BLOCK - len(head) - len(filler) - 1)  # "é" (2 bytes) starts on the block's last byte
    assert plain_csv(_log(tmp_path, filler + pad + "é\n".encode() + b"C2,2024-01-02,y\n" * 10))


def test_bad_utf8_after_an_ascii_block_is_found(tmp_path):
    ascii_block = b"C1,2024-01-01,x\n" * (BLOCK // 16 + 1)
    assert not plain_csv(_log(tmp_path, ascii_block + b"C2,2024-01-02,\xff\n"))
    assert not plain_csv(_log(tmp_path, "é".encode() + ascii_block[:BLOCK - 20] + b"\xc3"))  # cut short at the end


def test_lone_carriage_returns_quotes_and_nuls_are_not_plain_but_crlf_is(tmp_path):
    assert plain_csv(_log(tmp_path, b"C1,2024-01-01,x\r\nC2,2024-01-02,y\r\n"))
    assert not plain_csv(_log(tmp_path, b"C1,2024-01-01,x\rC2,2024-01-02,y\n"))
    assert not plain_csv(_log(tmp_path, b'C1,2024-01-01,"x"\n'))
    assert not plain_csv(_log(tmp_path, b"C1,2024-01-01,x\0\n"))


def test_a_lead_byte_ending_a_block_before_an_ascii_block_is_not_utf8(tmp_path):
    head = b"case,date,type\n"
    pad = b"a" * (BLOCK - len(head) - 1)
    ascii_block = (b"\nC2,2024-01-02,y" * (BLOCK // 16 + 1))[:BLOCK]
    # \xc3 then \xa9 would be "é": but a whole block of ASCII lies between them
    assert not plain_csv(_log(tmp_path, pad + b"\xc3" + ascii_block + b"\xa9\n"))
