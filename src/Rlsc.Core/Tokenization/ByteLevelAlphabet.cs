namespace Rlsc.Core.Tokenization;

/// <summary>
/// GPT-2's byte-to-character table, used by byte-level BPE (GPT-2, Qwen2, Llama 3): every byte 0..255 is shown as
/// one printable character so that a vocabulary of strings can hold arbitrary bytes. Printable Latin-1 bytes map
/// to themselves; the others (control characters, space, 0x7F-0xA0, 0xAD) map to U+0100 upwards in byte order,
/// which is why a space shows as 'Ġ' (U+0120) and a newline as 'Ċ' (U+010A).
/// </summary>
public static class ByteLevelAlphabet
{
    static readonly char[] ByteToChar = BuildByteToChar();
    static readonly Dictionary<char, byte> CharToByte = BuildCharToByte(ByteToChar);

    /// <summary>The character that stands for <paramref name="b"/>.</summary>
    public static char Encode(byte b) => ByteToChar[b];

    /// <summary>The byte that <paramref name="c"/> stands for, or false when it is not one of the 256 characters.</summary>
    public static bool TryDecode(char c, out byte b) => CharToByte.TryGetValue(c, out b);

    /// <summary>The 256 characters in byte order (the alphabet every byte-level vocabulary starts with).</summary>
    public static IReadOnlyList<char> Characters => ByteToChar;

    /// <summary>Writes the characters of <paramref name="bytes"/> into a string (UTF-8 bytes of a word -> its symbols).</summary>
    public static string EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = bytes.Length <= 512 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    static char[] BuildByteToChar()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
            table[b] = IsPrintable(b) ? (char)b : (char)next++;
        return table;
    }

    static Dictionary<char, byte> BuildCharToByte(char[] byteToChar)
    {
        var map = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++) map[byteToChar[b]] = (byte)b;
        return map;
    }
}
