// Migrations (one assembly per provider; the design-time factory lives in each):
//   dotnet ef migrations add <Name> --project src/KpRegistry.Storage.Sqlite --output-dir Migrations
//   dotnet ef migrations add <Name> --project src/KpRegistry.Storage.SqlServer --output-dir Migrations
// Add every migration to BOTH projects under the same name; RegistryDbContext is the one model.
using System.Text;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KpRegistry.Storage;

/// <summary>
/// The registry's database. Rows stay inside Storage; callers use the stores. Table and column
/// names are snake_case. On SQLite every DateTimeOffset is stored as UTC ticks (an INTEGER), so
/// that ordering and comparison are done by the database and are correct; on SQL Server it is a
/// native datetimeoffset(7). Both keep 100 ns precision, so values round-trip exactly.
/// </summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options)
{
    internal const int CodeLength = 8;
    internal const int AuthorityCodeLength = 32;
    internal const int NameLength = 200;
    internal const int ReasonLength = 2000;
    internal const int ActorLength = 400;
    internal const int CertificateNumberLength = 64;
    /// <summary>A space-separated list of up to 100 two-letter codes.</summary>
    internal const int ListLength = 300;

    public DbSet<ParticipantRow> Participants => Set<ParticipantRow>();
    public DbSet<ParticipantStatusEventRow> ParticipantStatusEvents => Set<ParticipantStatusEventRow>();
    public DbSet<AuthorityRow> Authorities => Set<AuthorityRow>();
    public DbSet<ZoneApprovalRow> ZoneApprovals => Set<ZoneApprovalRow>();
    public DbSet<AuthorityRemovalRow> AuthorityRemovals => Set<AuthorityRemovalRow>();
    public DbSet<ZoneSetRow> ZoneSets => Set<ZoneSetRow>();
    public DbSet<EmbargoRow> Embargoes => Set<EmbargoRow>();
    public DbSet<LicensingEventRow> LicensingEvents => Set<LicensingEventRow>();
    public DbSet<KeyRow> Keys => Set<KeyRow>();
    public DbSet<KeyEventRow> KeyEvents => Set<KeyEventRow>();
    public DbSet<CertificateRow> Certificates => Set<CertificateRow>();
    public DbSet<CertificateEventRow> CertificateEvents => Set<CertificateEventRow>();
    public DbSet<ImportConfirmationRow> ImportConfirmations => Set<ImportConfirmationRow>();
    public DbSet<CertificateLineRow> CertificateLines => Set<CertificateLineRow>();
    public DbSet<CertificateOriginRow> CertificateOrigins => Set<CertificateOriginRow>();
    public DbSet<RevocationRow> Revocations => Set<RevocationRow>();
    public DbSet<AuditEventRow> AuditEvents => Set<AuditEventRow>();
    public DbSet<ClientCertificateRevocationRow> ClientCertificateRevocations => Set<ClientCertificateRevocationRow>();
    public DbSet<RegistryKeyLinkRow> RegistryKeyLinks => Set<RegistryKeyLinkRow>();
    public DbSet<RegistryVersionRow> RegistryVersion => Set<RegistryVersionRow>();
    public DbSet<LogEntryRow> LogEntries => Set<LogEntryRow>();
    public DbSet<LogCheckpointRow> LogCheckpoints => Set<LogCheckpointRow>();
    public DbSet<LogKeyRow> LogKeys => Set<LogKeyRow>();

    private bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums as their names: readable in the database and stable when members are reordered.
        configurationBuilder.Properties<ParticipantStatus>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<ParticipantKind>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<KeyAlgorithm>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<KeyCustody>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<KeyState>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<KeyEventKind>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<CertificateEventKind>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<RevocationSubject>().HaveConversion<string>().HaveMaxLength(24);
        if (IsSqlite)
        {
            // EF's SQLite provider stores DateTimeOffset as TEXT and refuses to order or compare it.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ParticipantRow>(b =>
        {
            b.ToTable("participants");
            b.HasKey(x => x.Code);
            b.Property(x => x.Code).HasMaxLength(CodeLength);
            b.Property(x => x.Name).HasMaxLength(NameLength);
        });

        modelBuilder.Entity<ParticipantStatusEventRow>(b =>
        {
            b.ToTable("participant_status_events");
            b.HasKey(x => x.Id);
            ParticipantCode(b, nameof(ParticipantStatusEventRow.ParticipantCode));
            b.Property(x => x.Reason).HasMaxLength(ReasonLength);
            b.Property(x => x.Actor).HasMaxLength(ActorLength);
            b.HasIndex(x => new { x.ParticipantCode, x.EffectiveFrom });
        });

        modelBuilder.Entity<AuthorityRow>(b =>
        {
            b.ToTable("authorities");
            b.HasKey(x => x.Code);
            b.Property(x => x.Code).HasMaxLength(AuthorityCodeLength);
            ParticipantCode(b, nameof(AuthorityRow.ParticipantCode));
            b.Property(x => x.Name).HasMaxLength(NameLength);
        });

        modelBuilder.Entity<ZoneApprovalRow>(b =>
        {
            b.ToTable("zone_approvals");
            b.HasKey(x => x.Id);
            ParticipantCode(b, nameof(ZoneApprovalRow.ParticipantCode));
            b.Property(x => x.Zone).HasMaxLength(NameLength);
            // No foreign key: adding one to an existing SQLite table rebuilds it (outside a transaction).
            b.HasIndex(x => x.ZoneSetId);
        });

        modelBuilder.Entity<AuthorityRemovalRow>(b =>
        {
            b.ToTable("authority_removals");
            b.HasKey(x => x.Id);
            b.Property(x => x.AuthorityCode).HasMaxLength(AuthorityCodeLength);
            b.HasOne<AuthorityRow>().WithMany().HasForeignKey(x => x.AuthorityCode).OnDelete(DeleteBehavior.Restrict);
            // An authority ends once.
            b.HasIndex(x => x.AuthorityCode).IsUnique();
            b.Property(x => x.Reason).HasMaxLength(ReasonLength);
            b.Property(x => x.Actor).HasMaxLength(ActorLength);
        });

        modelBuilder.Entity<ZoneSetRow>(b =>
        {
            b.ToTable("zone_sets");
            b.HasKey(x => x.Id);
            ParticipantCode(b, nameof(ZoneSetRow.ParticipantCode));
            b.Property(x => x.Reason).HasMaxLength(ReasonLength);
            b.Property(x => x.Actor).HasMaxLength(ActorLength);
        });

        modelBuilder.Entity<EmbargoRow>(b =>
        {
            b.ToTable("embargoes");
            b.HasKey(x => x.Id);
            ParticipantCode(b, nameof(EmbargoRow.ParticipantCode));
            b.Property(x => x.Destinations).HasMaxLength(ListLength);
            b.Property(x => x.Origins).HasMaxLength(ListLength);
            b.Property(x => x.Reason).HasMaxLength(ReasonLength);
            b.Property(x => x.Actor).HasMaxLength(ActorLength);
            b.HasOne<EmbargoRow>().WithMany().HasForeignKey(x => x.SupersedesId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<LicensingEventRow>(b =>
        {
            b.ToTable("licensing_events");
            b.HasKey(x => x.Id);
            ParticipantCode(b, nameof(LicensingEventRow.ParticipantCode));
            b.Property(x => x.Reason).HasMaxLength(ReasonLength);
            b.Property(x => x.Actor).HasMaxLength(ActorLength);
        });

        modelBuilder.Entity<KeyRow>(b =>
        {
            b.ToTable("keys");
            b.HasKey(x => x.KeyId);
            b.Property(x => x.KeyId).HasMaxLength(KeyIds.Length);
            ParticipantCode(b, nameof(KeyRow.ParticipantCode));
            b.Property(x => x.AuthorityCode).HasMaxLength(AuthorityCodeLength);
            b.Property(x => x.State).IsConcurrencyToken();
            b.Property(x => x.RevocationReason).HasMaxLength(ReasonLength);
            // The one-ACTIVE-key-per-slot rule, enforced by the database itself.
            b.HasIndex(x => new { x.ParticipantCode, x.AuthorityCode, x.Algorithm })
                .IsUnique()
                .HasDatabaseName("UX_keys_one_active_per_slot")
                .HasFilter(IsSqlite ? "\"state\" = 'Active'" : "[state] = N'Active'");
        });

        modelBuilder.Entity<KeyEventRow>(b =>
        {
            b.ToTable("key_events");
            b.HasKey(x => x.Id);
            b.Property(x => x.KeyId).HasMaxLength(KeyIds.Length);
            b.HasOne<KeyRow>().WithMany().HasForeignKey(x => x.KeyId).OnDelete(DeleteBehavior.Restrict);
            b.Property(x => x.Reason).HasMaxLength(ReasonLength);
            b.Property(x => x.Actor).HasMaxLength(ActorLength);
        });

        modelBuilder.Entity<CertificateRow>(b =>
        {
            b.ToTable("certificates");
            b.HasKey(x => x.Id);
            ParticipantCode(b, nameof(CertificateRow.IssuingParticipant));
            b.Property(x => x.CertificateNumber).HasMaxLength(CertificateNumberLength);
            b.Property(x => x.IssuingAuthority).HasMaxLength(AuthorityCodeLength);
            b.Property(x => x.KeyId).HasMaxLength(KeyIds.Length);
            b.HasOne<KeyRow>().WithMany().HasForeignKey(x => x.KeyId).OnDelete(DeleteBehavior.Restrict);
            b.Property(x => x.PayloadSha256).HasMaxLength(32);
            b.Property(x => x.DestinationParticipant).HasMaxLength(CodeLength);
            b.HasIndex(x => new { x.IssuingParticipant, x.CertificateNumber })
                .IsUnique()
                .HasDatabaseName("UX_certificates_issuer_number");
            b.Property(x => x.ReplacesCertificateNumber).HasMaxLength(CertificateNumberLength);
            // ListCertificates for an importing authority: its incoming certificates, in id order.
            b.HasIndex(x => new { x.DestinationParticipant, x.Id });
            // Statistics (issue 14): a period's certificates per pair, covering the totals.
            b.HasIndex(x => new { x.DateOfIssue, x.IssuingParticipant, x.DestinationParticipant, x.TotalCaratsHundredths, x.TotalValueUsdCents })
                .HasDatabaseName("IX_certificates_statistics");
            b.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.CertificateId).OnDelete(DeleteBehavior.Restrict);
            b.HasMany(x => x.Origins).WithOne().HasForeignKey(x => x.CertificateId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<CertificateLineRow>(b =>
        {
            b.ToTable("certificate_lines");
            b.HasKey(x => x.Id);
            b.Property(x => x.IssuingParticipant).HasMaxLength(CodeLength);
            b.Property(x => x.DestinationParticipant).HasMaxLength(CodeLength);
            b.Property(x => x.HsCode).HasMaxLength(16);
            b.HasIndex(x => new { x.CertificateId, x.LineNumber }).IsUnique();
            // GetTradeStatistics: one range scan of this index answers a period per pair and HS code
            // (tests/KpRegistry.Storage.Tests/QueryPlanTests.cs reads SQLite's plan).
            b.HasIndex(x => new { x.DateOfIssue, x.IssuingParticipant, x.DestinationParticipant, x.HsCode, x.CaratsHundredths, x.ValueUsdCents, x.CertificateId, x.LineNumber })
                .HasDatabaseName("IX_certificate_lines_statistics");
        });

        modelBuilder.Entity<CertificateOriginRow>(b =>
        {
            b.ToTable("certificate_origins");
            b.HasKey(x => new { x.CertificateId, x.Country });
            b.Property(x => x.Country).HasMaxLength(CodeLength);
        });

        modelBuilder.Entity<ImportConfirmationRow>(b =>
        {
            b.ToTable("import_confirmations");
            b.HasKey(x => x.Id);
            b.HasOne<CertificateRow>().WithMany().HasForeignKey(x => x.CertificateId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(x => x.CertificateId).IsUnique().HasDatabaseName("UX_import_confirmations_certificate");
            b.Property(x => x.KeyId).HasMaxLength(KeyIds.Length);
            b.HasOne<KeyRow>().WithMany().HasForeignKey(x => x.KeyId).OnDelete(DeleteBehavior.Restrict);
            ParticipantCode(b, nameof(ImportConfirmationRow.ImportingParticipant));
            b.Property(x => x.ImportingAuthority).HasMaxLength(AuthorityCodeLength);
            b.Property(x => x.Actor).HasMaxLength(ActorLength);
        });

        modelBuilder.Entity<CertificateEventRow>(b =>
        {
            b.ToTable("certificate_events");
            b.HasKey(x => x.Id);
            b.HasOne<CertificateRow>().WithMany().HasForeignKey(x => x.CertificateId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(x => new { x.CertificateId, x.Sequence }).IsUnique();
            b.Property(x => x.Reason).HasMaxLength(ReasonLength);
            b.Property(x => x.ReplacedBy).HasMaxLength(CertificateNumberLength);
            b.Property(x => x.Actor).HasMaxLength(ActorLength);
        });

        modelBuilder.Entity<RevocationRow>(b =>
        {
            b.ToTable("revocations");
            b.HasKey(x => x.Version);
            b.Property(x => x.Version).ValueGeneratedNever();
            b.Property(x => x.KeyId).HasMaxLength(KeyIds.Length);
            b.Property(x => x.IssuingParticipant).HasMaxLength(CodeLength);
            b.Property(x => x.CertificateNumber).HasMaxLength(CertificateNumberLength);
            b.Property(x => x.Reason).HasMaxLength(ReasonLength);
            b.Property(x => x.ReplacedBy).HasMaxLength(CertificateNumberLength);
        });

        modelBuilder.Entity<AuditEventRow>(b =>
        {
            b.ToTable("audit_events");
            b.HasKey(x => x.Id);
            b.Property(x => x.Actor).HasMaxLength(ActorLength);
            b.Property(x => x.Action).HasMaxLength(100);
            b.Property(x => x.Subject).HasMaxLength(ActorLength);
            b.Property(x => x.CallerParticipant).HasMaxLength(CodeLength);
            b.Property(x => x.CallerAuthority).HasMaxLength(AuthorityCodeLength);
            b.Property(x => x.CallerRole).HasMaxLength(24);
            b.Property(x => x.CertificateSha256).HasMaxLength(64);
            b.Property(x => x.Result).HasMaxLength(40);
            b.Property(x => x.RequestId).HasMaxLength(100);
            // ListAuditEvents filters by time and by participant.
            b.HasIndex(x => x.At);
            b.HasIndex(x => x.CallerParticipant);
        });

        modelBuilder.Entity<ClientCertificateRevocationRow>(b =>
        {
            b.ToTable("client_certificate_revocations");
            b.HasKey(x => x.Id);
            b.Property(x => x.CertificateSha256).HasMaxLength(64);
            b.Property(x => x.SerialNumber).HasMaxLength(64);
            b.Property(x => x.Issuer).HasMaxLength(ActorLength);
            b.Property(x => x.Reason).HasMaxLength(ReasonLength);
            b.Property(x => x.RevokedBy).HasMaxLength(ActorLength);
        });

        modelBuilder.Entity<RegistryKeyLinkRow>(b =>
        {
            b.ToTable("registry_key_links");
            b.HasKey(x => x.Sequence);
            b.Property(x => x.Sequence).ValueGeneratedNever();
            b.Property(x => x.KeyId).HasMaxLength(KeyIds.Length);
            b.HasOne<KeyRow>().WithMany().HasForeignKey(x => x.KeyId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(x => x.KeyId).IsUnique();
        });

        modelBuilder.Entity<RegistryVersionRow>(b =>
        {
            b.ToTable("registry_version");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
        });

        modelBuilder.Entity<LogEntryRow>(b =>
        {
            b.ToTable("log_entries");
            b.HasKey(x => x.LeafIndex);
            b.Property(x => x.LeafIndex).ValueGeneratedNever();
        });

        modelBuilder.Entity<LogCheckpointRow>(b =>
        {
            b.ToTable("log_checkpoints");
            b.HasKey(x => x.TreeSize);
            b.Property(x => x.TreeSize).ValueGeneratedNever();
            b.Property(x => x.RootHash).HasMaxLength(32);
        });

        modelBuilder.Entity<LogKeyRow>(b =>
        {
            b.ToTable("log_keys");
            b.HasKey(x => x.KeyId);
            b.Property(x => x.KeyId).HasMaxLength(KeyIds.Length);
            b.Property(x => x.Origin).HasMaxLength(NameLength);
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    /// <summary>A participant-code column with its foreign key to <c>participants</c>.</summary>
    private static void ParticipantCode<T>(EntityTypeBuilder<T> b, string propertyName)
        where T : class
    {
        b.Property<string>(propertyName).HasMaxLength(CodeLength);
        b.HasOne<ParticipantRow>().WithMany().HasForeignKey(propertyName).OnDelete(DeleteBehavior.Restrict);
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && !char.IsUpper(name[i - 1]))
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
