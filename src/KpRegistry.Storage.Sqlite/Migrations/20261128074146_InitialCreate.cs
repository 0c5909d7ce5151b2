using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KpRegistry.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    details = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "participants",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    admitted_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    max_validity_days = table.Column<int>(type: "INTEGER", nullable: true),
                    embargoed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_participants", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "revocations",
                columns: table => new
                {
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    key_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    issuing_participant = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    certificate_number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    compromised_since = table.Column<long>(type: "INTEGER", nullable: true),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revocations", x => x.version);
                });

            migrationBuilder.CreateTable(
                name: "authorities",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    participant_code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_authorities", x => x.code);
                    table.ForeignKey(
                        name: "FK_authorities_participants_participant_code",
                        column: x => x.participant_code,
                        principalTable: "participants",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "keys",
                columns: table => new
                {
                    key_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    participant_code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    authority_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    algorithm = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    custody = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    spki = table.Column<byte[]>(type: "BLOB", nullable: false),
                    sealed_private_key = table.Column<byte[]>(type: "BLOB", nullable: true),
                    not_before = table.Column<long>(type: "INTEGER", nullable: false),
                    not_after = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    retired_at = table.Column<long>(type: "INTEGER", nullable: true),
                    compromised_since = table.Column<long>(type: "INTEGER", nullable: true),
                    revocation_reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_keys", x => x.key_id);
                    table.ForeignKey(
                        name: "FK_keys_participants_participant_code",
                        column: x => x.participant_code,
                        principalTable: "participants",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "participant_status_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    participant_code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    effective_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_participant_status_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_participant_status_events_participants_participant_code",
                        column: x => x.participant_code,
                        principalTable: "participants",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "zone_approvals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    participant_code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    zone = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    effective_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    effective_to = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_zone_approvals", x => x.id);
                    table.ForeignKey(
                        name: "FK_zone_approvals_participants_participant_code",
                        column: x => x.participant_code,
                        principalTable: "participants",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "certificates",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    issuing_participant = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    certificate_number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    issuing_authority = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    key_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    envelope = table.Column<byte[]>(type: "BLOB", nullable: false),
                    payload_sha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    date_of_issue = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    date_of_expiry = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    destination_participant = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    total_carats_hundredths = table.Column<long>(type: "INTEGER", nullable: false),
                    total_value_usd_cents = table.Column<long>(type: "INTEGER", nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificates", x => x.id);
                    table.ForeignKey(
                        name: "FK_certificates_keys_key_id",
                        column: x => x.key_id,
                        principalTable: "keys",
                        principalColumn: "key_id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_certificates_participants_issuing_participant",
                        column: x => x.issuing_participant,
                        principalTable: "participants",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "key_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    key_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    compromised_since = table.Column<long>(type: "INTEGER", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_key_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_key_events_keys_key_id",
                        column: x => x.key_id,
                        principalTable: "keys",
                        principalColumn: "key_id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "certificate_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    certificate_id = table.Column<long>(type: "INTEGER", nullable: false),
                    sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    replaced_by = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    actor = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificate_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_certificate_events_certificates_certificate_id",
                        column: x => x.certificate_id,
                        principalTable: "certificates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_authorities_participant_code",
                table: "authorities",
                column: "participant_code");

            migrationBuilder.CreateIndex(
                name: "IX_certificate_events_certificate_id_sequence",
                table: "certificate_events",
                columns: new[] { "certificate_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_certificates_key_id",
                table: "certificates",
                column: "key_id");

            migrationBuilder.CreateIndex(
                name: "UX_certificates_issuer_number",
                table: "certificates",
                columns: new[] { "issuing_participant", "certificate_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_key_events_key_id",
                table: "key_events",
                column: "key_id");

            migrationBuilder.CreateIndex(
                name: "UX_keys_one_active_per_slot",
                table: "keys",
                columns: new[] { "participant_code", "authority_code", "algorithm" },
                unique: true,
                filter: "\"state\" = 'Active'");

            migrationBuilder.CreateIndex(
                name: "IX_participant_status_events_participant_code_effective_from",
                table: "participant_status_events",
                columns: new[] { "participant_code", "effective_from" });

            migrationBuilder.CreateIndex(
                name: "IX_zone_approvals_participant_code",
                table: "zone_approvals",
                column: "participant_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "authorities");

            migrationBuilder.DropTable(
                name: "certificate_events");

            migrationBuilder.DropTable(
                name: "key_events");

            migrationBuilder.DropTable(
                name: "participant_status_events");

            migrationBuilder.DropTable(
                name: "revocations");

            migrationBuilder.DropTable(
                name: "zone_approvals");

            migrationBuilder.DropTable(
                name: "certificates");

            migrationBuilder.DropTable(
                name: "keys");

            migrationBuilder.DropTable(
                name: "participants");
        }
    }
}
