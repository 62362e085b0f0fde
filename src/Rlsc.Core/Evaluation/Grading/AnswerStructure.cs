using System.Text.RegularExpressions;
using Rlsc.Core.Evaluation.Answers;

namespace Rlsc.Core.Evaluation.Grading;

/// <summary>
/// Turns a normalised answer into an <see cref="AnswerNode"/> tree, trying the shapes in this order:
/// union ("\cup") → several answers (top-level "," or ";") → matrix (pmatrix, bmatrix, ...) → bracketed
/// (tuple, interval, vector, "\{set\}") → equation ("=") → inequality (read as an interval when it bounds one
/// variable: "k \geq 2" is [2, ∞)) → "\pm" expanded into two answers → a single value.
/// </summary>
public static partial class AnswerStructure
{
    static readonly string[] ListSeparators = [",", ";"];
    static readonly string[] UnionSeparators = ["\\cup"];
    static readonly string[] EquationSeparators = ["="];
    static readonly string[] RelationSeparators = ["\\leq", "\\geq", "\\neq", "<", ">"];
    static readonly string[] MatrixEnvironments = ["pmatrix", "bmatrix", "matrix", "vmatrix", "Bmatrix", "smallmatrix", "array"];

    public static AnswerNode Parse(string normalized, GradingBudget budget)
    {
        budget.Enter();
        try
        {
            string s = normalized.Trim();
            if (s.Length == 0) return new EmptyAnswer();
            // "{-2021, 2021}": plain braces around the whole answer only group it (a set is written \{...\}).
            if (s[0] == '{' && LatexGroups.MatchingBrace(s, 0) == s.Length - 1) return Parse(s[1..^1], budget);

            var union = TopLevel.Split(s, UnionSeparators, budget).Parts;
            if (union.Count > 1) return new UnionAnswer(union.Select(p => Parse(p, budget)).ToList());

            var list = TopLevel.Split(s, ListSeparators, budget).Parts;
            if (list.Count > 1)
            {
                var elements = list.Where(p => p.Length > 0).SelectMany(p => Expand(Parse(p, budget))).ToList();
                return elements.Count == 1 ? elements[0] : new ListAnswer(elements);
            }

            if (TryMatrix(s, budget) is { } matrix) return matrix;

            if (s == "\\emptyset" || s == "\\{\\}") return new SetAnswer([]);
            if (TopLevel.Enclosed(s, budget) is { } enclosed)
            {
                var inner = TopLevel.Split(enclosed.Inner, ListSeparators, budget).Parts;
                if (enclosed.Open == "\\{")
                    return new SetAnswer(inner.Count == 1 && inner[0].Length == 0 ? [] : inner.SelectMany(p => Expand(Parse(p, budget))).ToList());
                if (inner.Count > 1)
                {
                    char open = enclosed.Open == "\\langle" ? '(' : enclosed.Open[0];
                    char close = enclosed.Close == "\\rangle" ? ')' : enclosed.Close[0];
                    return new BracketedAnswer(open, close, inner.Select(p => Parse(p, budget)).ToList());
                }
                // "(B)", "(5)": brackets around one value are just grouping.
                if (enclosed.Open is "(" or "[" && enclosed.Close is ")" or "]") return Parse(enclosed.Inner, budget);
            }

            var equation = TopLevel.Split(s, EquationSeparators, budget).Parts;
            // "x = 5+5+1 = 11": a named chain of steps is the name and its last value.
            if (equation.Count > 2 && equation.All(p => p.Length > 0) && IsSimpleName(equation[0])) return new EquationAnswer([equation[0], equation[^1]]);
            if (equation.Count > 1 && equation.All(p => p.Length > 0)) return new EquationAnswer(equation);

            var (relation, ops) = TopLevel.Split(s, RelationSeparators, budget);
            if (ops.Count > 0 && relation.All(p => p.Length > 0) && RelationAsInterval(relation, ops) is { } interval) return interval;
            if (ops.Count > 0) return new ScalarAnswer(s);

            if (s.Contains("\\pm") || s.Contains("\\mp"))
            {
                var variants = ExpandPlusMinus(s, 0);
                if (variants.Count > 1) return new ListAnswer(variants.Select(v => (AnswerNode)new ScalarAnswer(v)).ToList());
            }
            return new ScalarAnswer(s);
        }
        finally { budget.Exit(); }
    }

    /// <summary>Nested lists flatten into their parent list ("1 \pm \sqrt{5}, -2" is three answers).</summary>
    static IEnumerable<AnswerNode> Expand(AnswerNode node) => node is ListAnswer l ? l.Elements : [node];

    /// <summary>Each \pm (or \mp) becomes + and -; at most 3 of them (8 variants).</summary>
    static List<string> ExpandPlusMinus(string s, int depth)
    {
        int pm = s.IndexOf("\\pm", StringComparison.Ordinal);
        int mp = s.IndexOf("\\mp", StringComparison.Ordinal);
        int at = pm < 0 ? mp : mp < 0 ? pm : Math.Min(pm, mp);
        if (at < 0 || depth >= 3) return [s];
        bool minusFirst = at == mp;
        string plus = s[..at] + (minusFirst ? "-" : "+") + s[(at + 3)..];
        string minus = s[..at] + (minusFirst ? "+" : "-") + s[(at + 3)..];
        return [.. ExpandPlusMinus(plus, depth + 1), .. ExpandPlusMinus(minus, depth + 1)];
    }

    static MatrixAnswer? TryMatrix(string s, GradingBudget budget)
    {
        if (!s.StartsWith("\\begin{", StringComparison.Ordinal)) return null;
        int close = s.IndexOf('}', 7);
        if (close < 0) return null;
        string environment = s[7..close];
        if (!MatrixEnvironments.Contains(environment)) return null;
        string end = "\\end{" + environment + "}";
        if (!s.EndsWith(end, StringComparison.Ordinal) || s.Length < close + 1 + end.Length) return null;
        string body = s[(close + 1)..^end.Length];
        // array carries a column spec: \begin{array}{cc}
        if (environment == "array" && body.TrimStart().StartsWith('{'))
        {
            string trimmed = body.TrimStart();
            int specEnd = LatexGroups.MatchingBrace(trimmed, 0);
            body = specEnd < 0 ? trimmed : trimmed[(specEnd + 1)..];
        }
        var rows = new List<IReadOnlyList<AnswerNode>>();
        foreach (string row in TopLevel.Split(body, ["\\\\"], budget).Parts)
        {
            if (row.Length == 0) continue;
            rows.Add(TopLevel.Split(row, ["&"], budget).Parts.Select(c => Parse(c, budget)).ToList());
        }
        if (rows.Count == 0 || rows.Any(r => r.Count != rows[0].Count)) return null;
        return new MatrixAnswer(rows);
    }

    /// <summary>
    /// "k \geq 2" → [2, ∞); "x < 3" → (-∞, 3); "2 < x \leq 5" → (2, 5]; "3 > x" → (-∞, 3). Only for one simple
    /// variable; anything else stays text.
    /// </summary>
    static BracketedAnswer? RelationAsInterval(List<string> parts, List<string> ops)
    {
        AnswerNode Value(string v) => new ScalarAnswer(v);
        var infinity = new ScalarAnswer("\\infty");
        var minusInfinity = new ScalarAnswer("-\\infty");
        if (ops.Contains("\\neq")) return null;
        if (parts.Count == 2)
        {
            bool negatedLeft = IsNegatedName(parts[0]), negatedRight = IsNegatedName(parts[1]);
            bool variableLeft = IsSimpleName(parts[0]) || negatedLeft, variableRight = IsSimpleName(parts[1]) || negatedRight;
            if (variableLeft == variableRight) return null;
            string op = ops[0];
            string bound = variableLeft ? parts[1] : parts[0];
            // "-x > -1" is "x < 1": negating both sides flips the relation.
            if (negatedLeft || negatedRight)
            {
                bound = "-(" + bound + ")";
                op = op switch { "<" => ">", ">" => "<", "\\leq" => "\\geq", _ => "\\leq" };
            }
            // Normalise to "variable op bound".
            if (!variableLeft) op = op switch { "<" => ">", ">" => "<", "\\leq" => "\\geq", _ => "\\leq" };
            return op switch
            {
                "<" => new BracketedAnswer('(', ')', [minusInfinity, Value(bound)]),
                "\\leq" => new BracketedAnswer('(', ']', [minusInfinity, Value(bound)]),
                ">" => new BracketedAnswer('(', ')', [Value(bound), infinity]),
                _ => new BracketedAnswer('[', ')', [Value(bound), infinity]),
            };
        }
        if (parts.Count == 3 && IsSimpleName(parts[1]))
        {
            bool ascending = ops.All(o => o is "<" or "\\leq"), descending = ops.All(o => o is ">" or "\\geq");
            if (!ascending && !descending) return null;
            string low = ascending ? parts[0] : parts[2], high = ascending ? parts[2] : parts[0];
            string lowOp = ascending ? ops[0] : ops[1], highOp = ascending ? ops[1] : ops[0];
            return new BracketedAnswer(lowOp is "<" or ">" ? '(' : '[', highOp is "<" or ">" ? ')' : ']', [Value(low), Value(high)]);
        }
        return null;
    }

    static bool IsNegatedName(string s) => s.StartsWith('-') && IsSimpleName(s[1..].Trim());

    /// <summary>
    /// A name that an equation's left side may carry in front of the answer: "x", "k", "\theta", "x_{0}", "y'",
    /// "m_{\max}", "f(x)", "N(n)", "\angle BEA_{1}", and capital names of up to four letters ("AB", "CD", "MR").
    /// "x = 3" is then graded as "3".
    /// </summary>
    public static bool IsSimpleName(string s) => s.Length <= 40 && SimpleName().IsMatch(s.Replace(" ", ""));

    [GeneratedRegex(@"^(?:\\angle[A-Za-z_{}0-9]+|(?:\\[a-zA-Z]+|[A-Z]{2,4}|[a-zA-Z])(?:_\{?[^{}()=]*\}?)?'*(?:\((?:[a-zA-Z0-9,]|\\[a-zA-Z]+)*\))?)$", RegexOptions.None, 200)]
    private static partial Regex SimpleName();
}
