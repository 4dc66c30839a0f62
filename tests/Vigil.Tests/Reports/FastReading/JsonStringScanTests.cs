using Vigil.Reports.FastReading;

namespace Vigil.Tests.Reports.FastReading;

public sealed class JsonStringScanTests
{
    [Fact]
    public void FirstSpecial_RandomTextsOfEveryLength_SameAsAByteByByteSearch()
    {
        var random = new Random(7);
        byte[] alphabet = [(byte)'a', (byte)' ', (byte)'"', (byte)'\\', 0x00, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xC3, 0xFF];
        for (var round = 0; round < 20_000; round++)
        {
            var text = new byte[random.Next(0, 100)];
            for (var k = 0; k < text.Length; k++)
            {
                // Mostly plain letters, so the special byte may come late, in any lane of a vector or in the tail.
                text[k] = random.Next(40) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)random.Next(0x21, 0x7F) is var b && b is (byte)'"' or (byte)'\\' ? (byte)'x' : b;
            }

            foreach (var stopAtNonAscii in new[] { true, false })
            {
                Assert.Equal(Reference(text, stopAtNonAscii), JsonStringScan.FirstSpecial(text, stopAtNonAscii));
            }
        }
    }

    [Theory]
    [InlineData("plain text without an end", true, -1)]
    [InlineData("ends here\" and more", true, 9)]
    [InlineData("escape \\n then", true, 7)]
    [InlineData("tab\there", true, 3)]
    [InlineData("caf\u00e9 au lait\"", true, 3)]
    [InlineData("caf\u00e9 au lait\"", false, 13)]
    public void FirstSpecial_Examples(string text, bool stopAtNonAscii, int expected) =>
        Assert.Equal(expected, JsonStringScan.FirstSpecial(System.Text.Encoding.UTF8.GetBytes(text), stopAtNonAscii));

    private static int Reference(byte[] text, bool stopAtNonAscii)
    {
        for (var k = 0; k < text.Length; k++)
        {
            var b = text[k];
            if (b is (byte)'"' or (byte)'\\' || b < 0x20 || (stopAtNonAscii && b > 0x7E))
            {
                return k;
            }
        }

        return -1;
    }
}
