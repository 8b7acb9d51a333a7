// Anchors the test support library until its first helper lands.
namespace varco::test {
void support_anchor() {}
}  // namespace varco::test
