namespace Rlsc.Runtime.Training.Sft;

/// <summary>One supervised example: the model is trained to produce Completion after Prompt.</summary>
/// <param name="Index">0-based position among the file's examples.</param>
/// <param name="Line">1-based line in the file, for error messages.</param>
public sealed record SftExample(int Index, int Line, string Prompt, string Completion);
