using System.Globalization;

namespace Vigil.Cli.Demo;

/// <summary>
/// What the demo's customers ask the SaaS support agent (the seed's customer-service case), in Chinese and English, by
/// topic, and the help-center articles it retrieves as context. Halfway through the run the questions shift towards a
/// newly launched feature, which the embedding drift detectors notice.
/// </summary>
internal static class SupportQuestions
{
    /// <summary>The run's fraction from which most questions are about the new feature.</summary>
    public const double ShiftAt = 0.5;

    /// <summary>Share of questions after the shift that are about the new feature.</summary>
    public const double ShiftedShare = 0.7;

    /// <summary>Share of questions that are frequently asked as they are (a response cache can answer them).</summary>
    public const double FrequentShare = 0.25;

    private static readonly SupportTopic[] Usual =
    [
        new("orders", "Orders ship within 24 hours; tracking is on the My Orders page; delivery takes 3 to 5 business days.",
            "How long does delivery take?", "发货以后多久能送到?",
            ["Where is my order {0}? It has not arrived yet.", "How can I track the delivery of order {0}?", "My order {0} shows shipped but the tracking page is empty."],
            ["我的订单 {0} 到哪里了?还没有收到。", "怎么查询订单 {0} 的物流状态?", "订单 {0} 显示已发货,但是查不到物流信息。"]),
        new("refunds", "Refunds are approved within 2 business days and reach the original payment method within 7 business days.",
            "How long does a refund take?", "退款多久能到账?",
            ["How long does a refund for order {0} take?", "I returned order {0}, when do I get my money back?", "Can I get a refund to a different card for order {0}?"],
            ["订单 {0} 的退款多久能到账?", "我已经退货了订单 {0},什么时候退款?", "订单 {0} 的退款可以退到另一张银行卡吗?"]),
        new("account", "Email, phone number and password are changed under Account Settings; a reset link is valid for 30 minutes.",
            "How do I reset my password?", "忘记密码了怎么重置?",
            ["How do I reset my password? I am user {0}.", "How can I change the email address of account {0}?", "I cannot log in to account {0}, what should I do?"],
            ["账号 {0} 忘记密码了怎么重置?", "怎么修改账号 {0} 绑定的邮箱?", "账号 {0} 登录不上怎么办?"]),
        new("billing", "Invoices are issued monthly under Billing; plans can be changed at any time and are prorated.",
            "Where can I download my invoices?", "发票在哪里下载?",
            ["Where can I download the invoice for invoice {0}?", "Why was I charged twice on bill {0}?", "How do I upgrade my plan? My customer id is {0}."],
            ["发票 {0} 在哪里下载?", "账单 {0} 为什么扣了两次费?", "客户编号 {0} 怎么升级套餐?"]),
    ];

    private static readonly SupportTopic[] Launched =
    [
        new("ai_assistant", "The new AI writing assistant is in the editor toolbar; it is included in Pro and Enterprise plans, 500 requests a month.",
            "How do I turn on the new AI writing assistant?", "怎么开启新的 AI 写作助手?",
            ["How do I turn on the new AI writing assistant for workspace {0}?", "Why does the AI assistant say I reached my monthly limit in workspace {0}?", "Can the AI assistant summarize documents in workspace {0}?"],
            ["工作区 {0} 怎么开启新的 AI 写作助手?", "为什么工作区 {0} 的 AI 助手提示本月次数已用完?", "AI 助手能在工作区 {0} 里总结文档吗?"]),
        new("api_integration", "The public API v2 needs a token from Developer Settings; the rate limit is 60 requests a minute per token.",
            "How do I get an API token?", "怎么获取 API 令牌?",
            ["How do I get an API token for integration {0}?", "My webhook for integration {0} stopped receiving events after the API v2 upgrade.", "What is the rate limit of the API v2 for integration {0}?"],
            ["集成 {0} 怎么获取 API 令牌?", "升级 API v2 以后,集成 {0} 的 webhook 收不到事件了。", "API v2 对集成 {0} 的调用频率限制是多少?"]),
    ];

    /// <summary>Every topic, before and after the shift.</summary>
    public static IEnumerable<SupportTopic> Topics => Usual.Concat(Launched);

    /// <summary>The question a customer asks at <paramref name="progress"/> of the run, from <paramref name="dice"/>.</summary>
    public static SupportQuestion Pick(ref DemoRandom dice, double progress)
    {
        var topics = progress >= ShiftAt && dice.Chance(ShiftedShare) ? Launched : Usual;
        var topic = topics[dice.Next(topics.Length)];
        var chinese = dice.Chance(0.5);
        var templates = chinese ? topic.Chinese : topic.English;
        // A frequent question is asked word for word; the others name an order, account or workspace.
        if (dice.Chance(FrequentShare))
        {
            return new SupportQuestion(chinese ? topic.ChineseFrequent : topic.EnglishFrequent, chinese ? "zh" : "en", topic);
        }

        var template = templates[dice.Next(templates.Count)];
        var reference = (100_000 + dice.Next(900_000)).ToString(CultureInfo.InvariantCulture);
        return new SupportQuestion(string.Format(CultureInfo.InvariantCulture, template, reference), chinese ? "zh" : "en", topic);
    }
}

/// <summary>
/// A support topic: its name, the help-center article the agent retrieves, its most frequent question in each language,
/// and question templates (<c>{0}</c> an id).
/// </summary>
internal sealed record SupportTopic(string Name, string Article, string EnglishFrequent, string ChineseFrequent,
    IReadOnlyList<string> English, IReadOnlyList<string> Chinese);

/// <summary>One customer question: its text, language (<c>zh</c> or <c>en</c>) and topic.</summary>
internal sealed record SupportQuestion(string Text, string Language, SupportTopic Topic);
