namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// Checks UTF-8 (RFC 3629) a piece at a time, so a text message split across frames and chunks is refused at its
/// first bad byte: no overlong forms, no surrogates, nothing above U+10FFFF. The state is the number of continuation
/// bytes still expected and the range the next one must fall in (which is narrower after E0, ED, F0 and F4).
/// </summary>
internal struct Utf8Validator
{
    private int _need;
    private byte _low;
    private byte _high;

    /// <summary>Whether the bytes so far end on a character boundary: a message may end here.</summary>
    public readonly bool AtBoundary => _need == 0;

    /// <summary>Takes <paramref name="bytes"/>; returns the index of the first byte that cannot be UTF-8, or -1.</summary>
    public int Feed(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            if (_need == 0)
            {
                // Runs of ASCII are the common case: skip them at once.
                int nonAscii = bytes[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
                if (nonAscii < 0)
                    return -1;
                i += nonAscii;
                if (!Lead(bytes[i]))
                    return i;
            }
            else
            {
                byte b = bytes[i];
                if (b < _low || b > _high)
                    return i;
                _need--;
                _low = 0x80;
                _high = 0xBF;
            }
            i++;
        }
        return -1;
    }

    private bool Lead(byte b)
    {
        (_need, _low, _high) = b switch
        {
            >= 0xC2 and <= 0xDF => (1, (byte)0x80, (byte)0xBF),
            0xE0 => (2, (byte)0xA0, (byte)0xBF),   // no overlong three-byte forms
            0xED => (2, (byte)0x80, (byte)0x9F),   // no surrogates
            >= 0xE1 and <= 0xEF => (2, (byte)0x80, (byte)0xBF),
            0xF0 => (3, (byte)0x90, (byte)0xBF),   // no overlong four-byte forms
            >= 0xF1 and <= 0xF3 => (3, (byte)0x80, (byte)0xBF),
            0xF4 => (3, (byte)0x80, (byte)0x8F),   // nothing above U+10FFFF
            _ => (-1, (byte)0, (byte)0),
        };
        if (_need >= 0)
            return true;
        _need = 0;
        return false;
    }
}
