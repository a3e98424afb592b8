using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Settings;
using Xunit;
using static ActorNet.Chat.Tests.Core.CoreHarness;

namespace ActorNet.Chat.Tests.Core;

/// <summary>ELIST=MNU: LIST masks, negated masks and user counts.</summary>
public sealed class ListFilterTests
{
    private static bool Lists(string parameter, string channel, int members) =>
        ListFilter.Parse(parameter).Filter!.Matches(channel, members, CaseMapping.Rfc1459);

    [Theory]
    [InlineData("*an1", "#chan1", 1, true)]
    [InlineData("*an1", "#chan2", 1, false)]
    [InlineData("#C*N2", "#chan2", 1, true)]
    [InlineData("!*an1", "#chan1", 1, false)]
    [InlineData("!*an1", "#chan2", 1, true)]
    [InlineData(">0", "#a", 1, true)]
    [InlineData(">1", "#a", 1, false)]
    [InlineData("<2", "#a", 1, true)]
    [InlineData("<1", "#a", 1, false)]
    [InlineData("#ch*,>1", "#chan", 2, true)]
    [InlineData("#ch*,>1", "#chan", 1, false)]
    public void Terms_filter_channels(string parameter, string channel, int members, bool listed) =>
        Assert.Equal(listed, Lists(parameter, channel, members));

    [Fact]
    public void Plain_names_stay_names_and_no_parameter_is_no_filter()
    {
        Assert.Equal((null, null), ListFilter.Parse(null));
        var (names, filter) = ListFilter.Parse("#a,#b");
        Assert.Equal(["#a", "#b"], names);
        Assert.Null(filter);
        var list = Assert.IsType<ListRequest>(Assert.Single(Requests(new CoreHarness().Registered().Run("LIST >3"))));
        Assert.Null(list.Channels);
        Assert.Equal(3, list.Filter!.MoreThan);
        Assert.Contains("ELIST=MNU", ISupport.Tokens(ChatSettings.Default.ISupport));
    }
}
