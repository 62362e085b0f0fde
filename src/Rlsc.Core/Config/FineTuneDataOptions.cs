namespace Rlsc.Core.Config;

/// <summary>
/// The training questions (section `data`). Only the question text is ever read: gold answers and solutions are
/// skipped unparsed (<see cref="QuestionReader"/>), so RLSC stays label-free by construction.
/// </summary>
public sealed class FineTuneDataOptions
{
    /// <summary>
    /// A benchmark suite whose questions are the training set. aime24: the paper trains on the 30 AIME 2024
    /// questions. Ignored when <see cref="File"/> is set.
    /// </summary>
    public string? Suite { get; set; } = "aime24";

    /// <summary>A JSONL file of questions (one JSON object per line) instead of a suite.</summary>
    public string? File { get; set; }

    /// <summary>
    /// The field holding the question text. Null: "question", else "problem" (the first one a line has; the
    /// Qwen2.5-Math data files use one or both).
    /// </summary>
    public string? QuestionField { get; set; }

    /// <summary>Use only the first N questions of the file (null: all). Handy for smoke runs.</summary>
    public int? Limit { get; set; }

    /// <summary>
    /// Visit the questions in a seeded random order, reshuffled each epoch (a pass over all questions). The paper
    /// does not say; shuffling avoids training on the file's order (AIME I then II).
    /// </summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// Chat template that turns a question into the prompt. qwen25-math-cot: the Qwen2.5-Math evaluation prompt
    /// the paper used ("Please reason step by step, and put your final answer within \boxed{}.").
    /// </summary>
    public string PromptTemplate { get; set; } = "qwen25-math-cot";
}
