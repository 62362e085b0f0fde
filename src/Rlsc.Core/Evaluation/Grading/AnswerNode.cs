namespace Rlsc.Core.Evaluation.Grading;

/// <summary>The shape of an answer: what the grader compares element by element.</summary>
public abstract record AnswerNode;

/// <summary>No answer (extraction failed or the answer is blank): equal to nothing.</summary>
public sealed record EmptyAnswer : AnswerNode;

/// <summary>One value: a number, an expression, or a word ("Evelyn", "B").</summary>
public sealed record ScalarAnswer(string Latex) : AnswerNode;

/// <summary>"y = 2x + 3", "f(x) = \frac{1}{x}", "a = b = c" (Parts holds each side in order).</summary>
public sealed record EquationAnswer(IReadOnlyList<string> Parts) : AnswerNode;

/// <summary>
/// Bracketed, comma-separated elements in order: a tuple "(3, \frac{\pi}{2})", an interval "(3,4]" or "(-\infty,0]",
/// a vector "\langle 1,2\rangle". The brackets are part of the value: (3,4] is not (3,4).
/// </summary>
public sealed record BracketedAnswer(char Open, char Close, IReadOnlyList<AnswerNode> Elements) : AnswerNode;

/// <summary>"\{1, 2\}": elements in any order.</summary>
public sealed record SetAnswer(IReadOnlyList<AnswerNode> Elements) : AnswerNode;

/// <summary>Several answers without brackets, "3, 5, 7" or "1 \pm \sqrt{19}" expanded: in any order.</summary>
public sealed record ListAnswer(IReadOnlyList<AnswerNode> Elements) : AnswerNode;

/// <summary>"(-\infty, 2) \cup (3, \infty)": parts in any order.</summary>
public sealed record UnionAnswer(IReadOnlyList<AnswerNode> Parts) : AnswerNode;

/// <summary>A pmatrix/bmatrix; a column vector has one element per row.</summary>
public sealed record MatrixAnswer(IReadOnlyList<IReadOnlyList<AnswerNode>> Rows) : AnswerNode
{
    public int Columns => Rows.Count == 0 ? 0 : Rows[0].Count;
}
