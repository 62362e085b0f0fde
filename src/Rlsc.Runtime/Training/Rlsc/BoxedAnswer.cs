namespace Rlsc.Training;

/// <summary>
/// The content of the last \boxed{...} of a completion (braces balanced), the answer convention of the
/// qwen25-math-cot prompt. Used for the answer-agreement metric of training, which compares the N samples with
/// each other and never with a gold answer.
/// </summary>
public static class BoxedAnswer
{
    public static string? Extract(string text)
    {
        int start = text.LastIndexOf("\\boxed", StringComparison.Ordinal);
        while (start >= 0)
        {
            int open = start + "\\boxed".Length;
            while (open < text.Length && text[open] == ' ') open++;
            if (open < text.Length && text[open] == '{')
            {
                int depth = 0;
                for (int i = open; i < text.Length; i++)
                {
                    if (text[i] == '{') depth++;
                    else if (text[i] == '}' && --depth == 0)
                    {
                        string content = string.Concat(text[(open + 1)..i].Where(c => !char.IsWhiteSpace(c)));
                        return content.Length == 0 ? null : content;
                    }
                }
            }
            start = start == 0 ? -1 : text.LastIndexOf("\\boxed", start - 1, StringComparison.Ordinal);
        }
        return null;
    }
}
