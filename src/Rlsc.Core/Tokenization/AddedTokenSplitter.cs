using System.Buffers;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// Finds added tokens in text, leftmost first and the longest one where several start at the same place
/// (Hugging Face's AddedVocabulary uses Aho-Corasick with leftmost-longest matching), honouring
/// single_word, lstrip and rstrip. Special tokens written in the text always match ("split_special_tokens": false).
/// </summary>
sealed class AddedTokenSplitter
{
    readonly Dictionary<char, AddedToken[]> _byFirstChar;
    readonly SearchValues<char> _firstChars;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
        _firstChars = SearchValues.Create(_byFirstChar.Keys.ToArray());
    }

    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>A segment of text: either plain text (Token null) to encode further, or an added token.</summary>
    public readonly record struct Segment(int Start, int Length, AddedToken? Token);

    public List<Segment> Split(string text)
    {
        var segments = new List<Segment>();
        int plainStart = 0, position = 0;
        while (position < text.Length)
        {
            int found = IsEmpty ? -1 : text.AsSpan(position).IndexOfAny(_firstChars);
            if (found < 0) break;
            position += found;
            if (Match(text, position) is not { } token)
            {
                position++;
                continue;
            }
            int start = position, end = position + token.Content.Length;
            if (token.LStrip)
                while (start > plainStart && char.IsWhiteSpace(text[start - 1])) start--;
            if (token.RStrip)
                while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
            if (start > plainStart) segments.Add(new Segment(plainStart, start - plainStart, null));
            segments.Add(new Segment(start, end - start, token));
            plainStart = position = end;
        }
        if (plainStart < text.Length) segments.Add(new Segment(plainStart, text.Length - plainStart, null));
        return segments;
    }

    AddedToken? Match(string text, int position)
    {
        foreach (var token in _byFirstChar[text[position]])
        {
            if (!text.AsSpan(position).StartsWith(token.Content, StringComparison.Ordinal)) continue;
            if (token.SingleWord && !IsWholeWord(text, position, position + token.Content.Length)) continue;
            return token;
        }
        return null;
    }

    static bool IsWholeWord(string text, int start, int end) =>
        (start == 0 || !IsWordChar(text[start - 1])) && (end == text.Length || !IsWordChar(text[end]));

    static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
