using Rlsc.Core;
using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Tests.Tokenization;

[TestFixture]
public class ChatTemplatesTests
{
    static IEnumerable<Qwen25Reference.ChatCase> ChatCases() => Qwen25Reference.File.ChatCases;

    [TestCaseSource(nameof(ChatCases))]
    public void RendersWhatQwensJinjaTemplateRenders(Qwen25Reference.ChatCase c)
    {
        // The reference rendered the chat_template string of Qwen2.5's tokenizer_config.json with @huggingface/jinja,
        // messages = [system?, user], add_generation_prompt = true.
        string system = c.Template == ChatTemplates.QwenMathCot ? c.System! : c.System ?? ChatTemplates.QwenSystem;
        string rendered = c.System is null
            ? ChatTemplates.Render(c.Template, c.Question)
            : ChatTemplates.Render(c.Template, c.Question, system);
        Assert.That(rendered, Is.EqualTo(c.Rendered));
        Assert.That(Qwen25Reference.Tokenizer.Encode(rendered), Is.EqualTo(c.Ids));
    }

    [Test]
    public void MathCotIsThePapersPrompt()
    {
        string prompt = ChatTemplates.Render(ChatTemplates.QwenMathCot, "What is $1+1$?");
        Assert.That(prompt, Is.EqualTo(
            "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n" +
            "<|im_start|>user\nWhat is $1+1$?<|im_end|>\n<|im_start|>assistant\n"));
        var tokenizer = Qwen25Reference.Tokenizer;
        int[] ids = tokenizer.Encode(prompt);
        Assert.That(ids[0], Is.EqualTo(tokenizer.TokenToId("<|im_start|>")));
        Assert.That(ids.Count(id => id == tokenizer.TokenToId("<|im_end|>")), Is.EqualTo(2));
    }

    [Test]
    public void NoneIsTheQuestionAsIs()
    {
        Assert.That(ChatTemplates.Render(ChatTemplates.None, "  2+2? \n"), Is.EqualTo("  2+2? \n"));
    }

    [Test]
    public void UnknownTemplateOrSystemForNoneIsAClearError()
    {
        var unknown = Assert.Throws<RlscException>(() => ChatTemplates.Render("qwen3", "q"))!;
        Assert.That(unknown.Code, Is.EqualTo(ErrorCodes.InvalidArgument));
        Assert.That(unknown.Message, Does.Contain("qwen25-math-cot"));
        var system = Assert.Throws<RlscException>(() => ChatTemplates.Render(ChatTemplates.None, "q", "be brief"))!;
        Assert.That(system.Code, Is.EqualTo(ErrorCodes.InvalidArgument));
    }

    [Test]
    public void NamesListsEveryTemplate()
    {
        Assert.That(ChatTemplates.Names, Is.EquivalentTo(new[] { "qwen25-math-cot", "qwen25-chat", "none" }));
        foreach (string name in ChatTemplates.Names)
            Assert.That(ChatTemplates.Render(name, "x"), Does.Contain("x"));
    }
}
