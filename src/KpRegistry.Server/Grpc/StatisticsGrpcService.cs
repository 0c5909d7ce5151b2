using Grpc.Core;
using KpRegistry.Contracts.Statistics.V1;
using KpRegistry.Domain.Statistics;
using KpRegistry.Server.Application;
using KpRegistry.Server.Security;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// kp.statistics.v1.Statistics: validates the period and participant, checks the caller's right
/// (the table in the proto), and delegates to <see cref="StatisticsService"/>.
/// </summary>
public sealed class StatisticsGrpcService(StatisticsService statistics) : Statistics.StatisticsBase
{
    public override Task<GetTradeStatisticsResponse> GetTradeStatistics(GetTradeStatisticsRequest request, ServerCallContext context) =>
        statistics.GetTradeStatisticsAsync(context.GetCaller(), Period(request.Period), Participant(request.Participant), request.IncludeCertificates,
            context.CancellationToken);

    public override Task<ReconcileResponse> Reconcile(ReconcileRequest request, ServerCallContext context)
    {
        context.RequireAnalyst("Reconcile");
        return statistics.ReconcileAsync(Period(request.Period), Participant(request.Participant), context.CancellationToken);
    }

    public override Task<ListAnomaliesResponse> ListAnomalies(ListAnomaliesRequest request, ServerCallContext context)
    {
        context.RequireAnalyst("ListAnomalies");
        return statistics.ListAnomaliesAsync(Period(request.Period), Participant(request.Participant), context.CancellationToken);
    }

    private static StatisticsPeriod Period(string text) =>
        StatisticsPeriod.TryParse(text, out string error) ?? throw RegistryException.Invalid("period", error);

    private static string? Participant(string text) =>
        text.Length == 0 ? null : RequestValidation.ParticipantCode(text, "participant");
}
