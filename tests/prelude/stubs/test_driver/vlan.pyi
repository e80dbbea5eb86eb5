# Mock of nixpkgs' test_driver.vlan (see __init__.pyi).
class VLan:
    nr: int
