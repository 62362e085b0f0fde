namespace Rlsc.Core.Tokenization;

/// <summary>
/// Prompts for one user turn followed by the assistant's generation prompt, rendered exactly as the Jinja
/// chat_template of Qwen2.5 (and Qwen2.5-Math, which differs only in its default system message) renders
/// messages = [system?, user] with add_generation_prompt=True (tested against @huggingface/jinja on the real template).
/// </summary>
public static class ChatTemplates
{
    /// <summary>Qwen2.5-Math's chain-of-thought prompt, the one the RLSC paper and Qwen2.5-Math's evaluation use.</summary>
    public const string QwenMathCot = "qwen25-math-cot";
    /// <summary>Qwen2.5-Instruct's chat template with its default system message.</summary>
    public const string QwenChat = "qwen25-chat";
    /// <summary>The question as is, no template (base models prompted with plain text).</summary>
    public const string None = "none";

    /// <summary>Qwen2.5-Math's default system message (its tokenizer_config's chat_template).</summary>
    public const string QwenMathSystem = "Please reason step by step, and put your final answer within \\boxed{}.";
    /// <summary>Qwen2.5's default system message.</summary>
    public const string QwenSystem = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    public static IReadOnlyList<string> Names { get; } = [QwenMathCot, QwenChat, None];

    /// <summary>
    /// The prompt for <paramref name="question"/>. <paramref name="system"/> replaces the template's default system
    /// message; the "none" template has none, so giving one there is an error rather than a silently dropped value.
    /// </summary>
    public static string Render(string template, string question, string? system = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        return template switch
        {
            QwenMathCot => ImStart(system ?? QwenMathSystem, question),
            QwenChat => ImStart(system ?? QwenSystem, question),
            None when system is null => question,
            None => throw new RlscException(ErrorCodes.InvalidArgument,
                $"the chat template '{None}' has no system message; choose '{QwenMathCot}' or '{QwenChat}' to use one, or leave the system message out."),
            _ => throw new RlscException(ErrorCodes.InvalidArgument,
                $"unknown chat template '{template}'; expected one of: {string.Join(", ", Names)}."),
        };
    }

    // The Qwen2.5 template for [system, user] + generation prompt:
    // <|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n
    static string ImStart(string system, string question) =>
        $"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n";
}
