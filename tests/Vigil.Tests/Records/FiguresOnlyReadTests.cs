using System.Text;
using Vigil.Records;

namespace Vigil.Tests.Records;

/// <summary>The figures-only read of <c>vigil report</c> must accept, reject and name errors exactly as the full read.</summary>
public sealed class FiguresOnlyReadTests
{
    private const string Base = "'trace_id':'t1','timestamp':'2026-11-01T10:00:00Z','model':'gpt-4o','status':'success','latency_ms':120";

    public static TheoryData<string> Lines() => new()
    {
        L(""),
        L(",'feature':'chat','user_tier':'free','user_id':'u-1','provider':'openai','query':'hi','response':'hello','context':'ctx'"),
        L(",'query':'caf\\u00e9 \u4f60\u597d','response':'ok','attributes':{'a':'1','b':'2'}"),
        L(",'query':'with \\'escape\\'','response':'x'"),
        L(",'attributes':{'a':'1','a':'2'}"),
        L(",'attributes':{'a':1}"),
        L(",'attributes':[]"),
        L(",'attributes':{'k\\u00e9':'v'}"),
        L(",'embedding':[0.1,0.2,-0.3]"),
        L(",'embedding':[]"),
        L(",'embedding':[0.1,'x']"),
        L(",'embedding':[1e40]"),
        L(",'query':5"),
        L(",'response':null,'context':null"),
        L(",'model':'gpt-4o','model':'x'"),
        L(",'feature':7"),
        L(",'user_id':'" + new string('u', 200) + "'"),
        L(",'query':'" + new string('q', 70_000) + "'"),
        L(",'query':'unterminated"),
        L(",'extra':1"),
        "{\"trace_id\":\"t1\",\"query\":\"only\"}",
        L(",'attributes':{" + string.Join(",", Enumerable.Range(0, 33).Select(i => $"'k{i}':'v'")) + "}"),
        L(",'attributes':{'long':'" + new string('v', 1100) + "'}"),
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void ParseInteraction_FiguresOnly_SameVerdictAndErrorsAsTheFullRead(string line)
    {
        var utf8 = Encoding.UTF8.GetBytes(line);

        var full = RecordParser.ParseInteraction(utf8);
        var lean = RecordParser.ParseInteraction(utf8, figuresOnly: true);

        Assert.Equal(full.Errors.Select(e => $"{e.Field}: {e.Message}"), lean.Errors.Select(e => $"{e.Field}: {e.Message}"));
        Assert.Equal(full.Record is null, lean.Record is null);
        if (full.Record is { } record)
        {
            var figures = lean.Record!;
            Assert.Equal(record with { Query = null, Response = null, Context = null, Embedding = null, Attributes = null },
                figures with { Query = null, Response = null, Context = null, Embedding = null, Attributes = null });
        }
    }

    [Fact]
    public void ParseInteraction_FiguresOnlyPlainLine_DropsContent()
    {
        var utf8 = Encoding.UTF8.GetBytes(L(",'feature':'chat','query':'hi','response':'hello','attributes':{'a':'1'},'embedding':[0.5]"));

        var first = RecordParser.ParseInteraction(utf8, figuresOnly: true).Record!;
        var second = RecordParser.ParseInteraction(utf8, figuresOnly: true).Record!;

        Assert.Null(first.Query);
        Assert.Null(first.Response);
        Assert.Null(first.Attributes);
        Assert.Null(first.Embedding);
        Assert.Equal(first, second);
        Assert.Equal("chat", first.Feature);
    }

    [Fact]
    public void ParseInteraction_InvalidUtf8InQuery_RejectedAsByTheFullRead()
    {
        var prefix = Encoding.UTF8.GetBytes(L(",'query':'a")[..^1]);
        byte[] utf8 = [.. prefix, 0xC3, 0x28, (byte)'"', (byte)'}'];

        var full = RecordParser.ParseInteraction(utf8);
        var lean = RecordParser.ParseInteraction(utf8, figuresOnly: true);

        Assert.Null(full.Record);
        Assert.Null(lean.Record);
        Assert.Equal(full.Errors.Select(e => e.Field), lean.Errors.Select(e => e.Field));
    }

    // A line from JSON written with single quotes; \' stays a JSON-escaped quote.
    private static string L(string extra) =>
        ("{" + Base + extra + "}").Replace("\\'", "\u0001", StringComparison.Ordinal).Replace('\'', '"').Replace("\u0001", "\\\"", StringComparison.Ordinal);
}
