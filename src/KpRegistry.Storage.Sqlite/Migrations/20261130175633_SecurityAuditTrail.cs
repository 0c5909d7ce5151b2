using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KpRegistry.Storage.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "caller_participant",
                table: "audit_events",
                type: "TEXT",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "caller_role",
                table: "audit_events",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "certificate_sha256",
                table: "audit_events",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_id",
                table: "audit_events",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "result",
                table: "audit_events",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "client_certificate_revocations",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    certificate_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    serial_number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    issuer = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_by = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
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

            // The audit trail is append-only in the database itself, whoever opens the file: UPDATE
            // and DELETE abort. A later migration that rebuilds this table must create these again.
            migrationBuilder.Sql(
                "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events " +
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: its rows are never updated or deleted.'); END;");
            migrationBuilder.Sql(
                "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events " +
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: its rows are never updated or deleted.'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER audit_events_no_update;");
            migrationBuilder.Sql("DROP TRIGGER audit_events_no_delete;");

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
