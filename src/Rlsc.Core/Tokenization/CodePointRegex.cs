using System.Globalization;
using System.Text.RegularExpressions;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// A pre-tokenizer regex that matches by code point, as Hugging Face's tokenizers (Oniguruma over UTF-8) and
/// JavaScript's /u regexes do. .NET's Regex sees UTF-16 code units, so a letter outside the BMP such as '𝑥'
/// (U+1D465) would be two surrogates of category Cs and never match \p{L}. Text with surrogate pairs is therefore
/// matched on a stand-in string where each pair becomes one BMP character of the same Unicode category (never
/// ASCII, so it cannot match a literal of the pattern), and the match positions are mapped back.
/// </summary>
public sealed class CodePointRegex
{
    static readonly char[] StandIns = BuildStandIns();
    readonly Regex _regex;

    public CodePointRegex(string pattern)
    {
        // CultureInvariant: (?i:'s|'t...) must not depend on the machine's culture (Turkish 'I').
        _regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public string Pattern => _regex.ToString();

    /// <summary>The (start, length) of every match of the pattern in <paramref name="text"/>, in UTF-16 units of the original text.</summary>
    public List<(int Start, int Length)> Matches(string text)
    {
        var result = new List<(int, int)>();
        if (!HasSurrogates(text))
        {
            for (var m = _regex.Match(text); m.Success; m = m.NextMatch())
                if (m.Length > 0) result.Add((m.Index, m.Length));
            return result;
        }

        // offsets[i] = position in the original text of stand-in character i (offsets[^1] = text.Length).
        var standIn = new char[text.Length];
        var offsets = new int[text.Length + 1];
        int n = 0;
        for (int i = 0; i < text.Length; i++, n++)
        {
            offsets[n] = i;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                standIn[n] = StandIns[(int)CharUnicodeInfo.GetUnicodeCategory(codePoint)];
                i++;
            }
            else
            {
                standIn[n] = text[i];
            }
        }
        offsets[n] = text.Length;
        string mapped = new(standIn, 0, n);
        for (var m = _regex.Match(mapped); m.Success; m = m.NextMatch())
            if (m.Length > 0)
                result.Add((offsets[m.Index], offsets[m.Index + m.Length] - offsets[m.Index]));
        return result;
    }

    static bool HasSurrogates(string text)
    {
        foreach (char c in text)
            if (char.IsSurrogate(c)) return true;
        return false;
    }

    // One representative per UnicodeCategory: the first BMP character from U+00A1 on with that category that is
    // neither white space nor a surrogate and that no case-insensitive match folds to ASCII.
    static char[] BuildStandIns()
    {
        var table = new char[32];
        Array.Fill(table, '\uFFFF');
        for (int c = 0xA1; c < 0xD800; c++)
        {
            char ch = (char)c;
            var category = char.GetUnicodeCategory(ch);
            if (table[(int)category] != '\uFFFF' || char.IsWhiteSpace(ch)) continue;
            if (char.ToUpperInvariant(ch) < 0x80 || char.ToLowerInvariant(ch) < 0x80) continue;
            table[(int)category] = ch;
        }
        table[(int)UnicodeCategory.PrivateUse] = '\uE000';
        table[(int)UnicodeCategory.OtherNotAssigned] = '\u0378';
        // A lone surrogate stays a surrogate; a pair is never mapped to Surrogate.
        return table;
    }
}
