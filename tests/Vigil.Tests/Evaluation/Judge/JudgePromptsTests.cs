using Vigil.Evaluation.Judge;

namespace Vigil.Tests.Evaluation.Judge;

public sealed class JudgePromptsTests
{
    [Fact]
    public void Render_English_PutsQuestionAnswerAndContextInTheirPlaces()
    {
        var prompt = JudgePrompts.Render(JudgeLanguage.English, "What is the refund window?", "30 days.", "Refunds within 30 days of purchase.");

        Assert.Contains("<question>\nWhat is the refund window?\n</question>", prompt, StringComparison.Ordinal);
        Assert.Contains("<answer>\n30 days.\n</answer>", prompt, StringComparison.Ordinal);
        Assert.Contains("## Reference context (for judging faithfulness)\n<context>\nRefunds within 30 days of purchase.\n</context>", prompt, StringComparison.Ordinal);
        Assert.Contains("\"is_hallucination\": <true/false>", prompt, StringComparison.Ordinal);
        Assert.Contains("exactly one JSON object and nothing else", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("{query}", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("{context_section}", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithoutContext_LeavesTheContextSectionOut()
    {
        var prompt = JudgePrompts.Render(JudgeLanguage.English, "q", "a", null);

        Assert.DoesNotContain("Reference context", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("{context", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TextThatLooksLikeAPlaceholder_IsNotSubstitutedAgain()
    {
        var prompt = JudgePrompts.Render(JudgeLanguage.English, "Say {response} and {context_section}", "My {query} answer", "ctx {response}");

        Assert.Contains("Say {response} and {context_section}", prompt, StringComparison.Ordinal);
        Assert.Contains("My {query} answer", prompt, StringComparison.Ordinal);
        Assert.Contains("ctx {response}", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Chinese_IsTheSeedTemplate()
    {
        var prompt = JudgePrompts.Render(JudgeLanguage.Chinese, "退款期限是多久?", "30 天。", "购买后 30 天内可退款。");

        Assert.StartsWith("你是一个严格的 AI 输出质量评估专家。请评估以下 AI 助手的回答质量。", prompt, StringComparison.Ordinal);
        Assert.Contains("## 用户问题\n退款期限是多久?\n\n## AI 助手回答\n30 天。", prompt, StringComparison.Ordinal);
        Assert.Contains("## 参考上下文(用于判断忠实度)\n购买后 30 天内可退款。", prompt, StringComparison.Ordinal);
        Assert.Contains("1. **相关性 (relevance)**:回答是否直接回应了用户的问题?", prompt, StringComparison.Ordinal);
        Assert.Contains("\"reasoning\": \"<简要评估理由,50字以内>\"", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoQuery_SaysItWasNotRecorded()
    {
        var prompt = JudgePrompts.Render(JudgeLanguage.English, null, "a", null);

        Assert.Contains($"<question>\n{JudgePrompts.MissingQuery}\n</question>", prompt, StringComparison.Ordinal);
    }
}
