using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KpRegistry.Storage.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SecurityAuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "caller_authority",
                table: "audit_events",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "caller_participant",
                table: "audit_events",
                type: "nvarchar(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "caller_role",
                table: "audit_events",
                type: "nvarchar(24)",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "certificate_sha256",
                table: "audit_events",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_id",
                table: "audit_events",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "result",
                table: "audit_events",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "client_certificate_revocations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    certificate_sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    serial_number = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    issuer = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: true),
                    reason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    revoked_by = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_client_certificate_revocations", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_at",
                table: "audit_events",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_caller_participant",
                table: "audit_events",
                column: "caller_participant");

            // The audit trail is append-only in the database itself, whoever connects: UPDATE and
            // DELETE fail. In EXEC so that CREATE TRIGGER opens its own batch, also in idempotent scripts.
            migrationBuilder.Sql(
                "EXEC(N'CREATE TRIGGER [audit_events_append_only] ON [audit_events] INSTEAD OF UPDATE, DELETE AS " +
                "BEGIN SET NOCOUNT ON; THROW 51000, ''audit_events is append-only: its rows are never updated or deleted.'', 1; END')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER [audit_events_append_only]");

            migrationBuilder.DropTable(
                name: "client_certificate_revocations");

            migrationBuilder.DropIndex(
                name: "IX_audit_events_at",
                table: "audit_events");

            migrationBuilder.DropIndex(
                name: "IX_audit_events_caller_participant",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "caller_authority",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "caller_participant",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "caller_role",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "certificate_sha256",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "request_id",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "result",
                table: "audit_events");
        }
    }
}
