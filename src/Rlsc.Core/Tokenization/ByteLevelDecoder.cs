using System.Text;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// tokenizer.json's "decoder" of type ByteLevel, as Hugging Face's tokenizers implement it: a token whose characters
/// are all byte-level characters stands for those bytes; any other token (an added token with a space, say) stands
/// for its own UTF-8 bytes. The bytes of all tokens are joined, then read as UTF-8 with U+FFFD for each maximal
/// invalid subsequence (Rust's from_utf8_lossy, .NET's UTF8Encoding and the WHATWG decoder agree on this).
/// </summary>
static class ByteLevelDecoder
{
    public static string Decode(IEnumerable<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (string token in tokens) AppendBytes(token, bytes);
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    static void AppendBytes(string token, List<byte> bytes)
    {
        int start = bytes.Count;
        foreach (char c in token)
        {
            if (ByteLevelAlphabet.TryDecode(c, out byte b))
            {
                bytes.Add(b);
                continue;
            }
            bytes.RemoveRange(start, bytes.Count - start);
            bytes.AddRange(Encoding.UTF8.GetBytes(token));
            return;
        }
    }
}
