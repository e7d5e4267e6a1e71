//! Each SQL rule the compiler enforces: the mistake must fail with a message that names the
//! rule (`cases/fail/*.stderr` pins it), and the valid neighbour must compile.

#[test]
fn compile_fail() {
    trybuild::TestCases::new().compile_fail("cases/fail/*.rs");
}

#[test]
fn compile_pass() {
    trybuild::TestCases::new().pass("cases/pass/*.rs");
}
