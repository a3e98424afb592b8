using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Protocol;

public sealed class CaseMappingTests
{
    [Theory]
    [InlineData("Nick[]\\~", "nick{}|^", true, false, false)]
    [InlineData("NICK", "nick", true, true, true)]
    [InlineData("a[b", "A{B", true, false, true)]
    [InlineData("x~", "X^", true, false, false)]
    [InlineData("nick", "nick_", false, false, false)]
    [InlineData("É", "é", false, false, false)]
    [InlineData("[", "]", false, false, false)]
    public void Equality_per_mapping(string x, string y, bool rfc, bool ascii, bool strict)
    {
        Assert.Equal(rfc, CaseMapping.Rfc1459.Equals(x, y));
        Assert.Equal(ascii, CaseMapping.Ascii.Equals(x, y));
        Assert.Equal(strict, CaseMapping.StrictRfc1459.Equals(x, y));
        Assert.Equal(rfc, CaseMapping.Rfc1459.Equals(y, x));
    }

    [Fact]
    public void Fold_goes_to_lower_case()
    {
        Assert.Equal("nick{}|^", CaseMapping.Rfc1459.Fold("NICK[]\\~"));
        Assert.Equal("nick[]\\~", CaseMapping.Ascii.Fold("NICK[]\\~"));
        Assert.Equal("nick{}|~", CaseMapping.StrictRfc1459.Fold("NICK[]\\~"));
    }

    [Fact]
    public void Fold_returns_the_same_instance_when_already_folded()
    {
        const string folded = "already{folded}|^";
        Assert.Same(folded, CaseMapping.Rfc1459.Fold(folded));
        Assert.NotSame("Upper", CaseMapping.Rfc1459.Fold("Upper"));
    }

    [Fact]
    public void Null_handling_in_equals()
    {
        Assert.True(CaseMapping.Rfc1459.Equals(null, null));
        Assert.False(CaseMapping.Rfc1459.Equals("a", null));
        Assert.False(CaseMapping.Rfc1459.Equals(null, "a"));
    }

    [Fact]
    public void Works_as_a_dictionary_comparer()
    {
        var nicks = new Dictionary<string, int>(CaseMapping.Rfc1459) { ["Foo[Bar]"] = 1 };
        Assert.True(nicks.ContainsKey("foo{bar}"));
        Assert.False(nicks.TryAdd("FOO{BAR]", 2));

        var ascii = new HashSet<string>(CaseMapping.Ascii) { "Foo[" };
        Assert.Contains("FOO[", ascii);
        Assert.DoesNotContain("foo{", ascii);
    }

    [Theory]
    [InlineData("rfc1459")]
    [InlineData("ASCII")]
    [InlineData("strict-rfc1459")]
    public void TryParse_finds_mappings_by_name(string name)
    {
        Assert.True(CaseMapping.TryParse(name, out var mapping));
        Assert.Equal(name.ToLowerInvariant(), mapping.Name);
        Assert.Equal(mapping.Name, mapping.ToString());
    }

    [Fact]
    public void TryParse_rejects_unknown_names()
    {
        Assert.False(CaseMapping.TryParse("rfc7613", out _));
        Assert.False(CaseMapping.TryParse(null, out _));
    }
}
